import { describe, expect, it } from "vitest";
import { unpackArchive, unsafePath } from "../../ingest/parsers/archive.js";
import { apportion } from "../../ingest/pipeline/batch-store.js";
import { part, zip } from "../helpers/hostile-inputs.js";

describe("apportion: one embedding call's tokens and cost shared by its documents", () => {
  it("gives integer parts that add up exactly, in proportion to the weights", () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(1_000_003, [5, 3, 2])).toEqual([500_001, 300_001, 200_001]);
    expect(apportion(7, [0, 0])).toEqual([4, 3]);
    expect(apportion(0, [3, 4])).toEqual([0, 0]);
    const parts = apportion(12_345, [17, 1, 250, 3, 99]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(12_345);
    expect(parts.every(Number.isInteger)).toBe(true);
  });
});

describe("archive entries of a bulk import", () => {
  it("refuses paths that could escape or confuse, and takes plain relative ones", () => {
    for (const bad of [
      "../x.txt",
      "a/../../x",
      "/etc/passwd",
      "C:/x.txt",
      "a\\b.txt",
      "a/./b",
      "a\u0000b",
      "",
    ])
      expect(unsafePath(bad), bad).not.toBeNull();
    for (const good of ["a.txt", "notes/2024/q1.md", "文件/说明.txt", "a..b.txt"])
      expect(unsafePath(good)).toBeNull();
  });

  it("keeps one entry's size and ratio failures to that entry and stops at the total cap", () => {
    const caps = {
      maxTotalBytes: 3 * 1024 * 1024,
      maxEntryBytes: 2 * 1024 * 1024,
      maxRatio: 100,
      maxEntries: 10,
    };
    const r = unpackArchive(
      zip([part("ok.txt", "fine"), part("big.txt", "b".repeat(1536 * 1024)), part("ok2.txt", "also fine")]),
      caps,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.items.map((i) => ("data" in i ? [i.name, i.data.length] : [i.name, i.code]))).toEqual([
      ["ok.txt", 4],
      ["big.txt", "payload_too_large"],
      ["ok2.txt", 9],
    ]);
    const bomb = unpackArchive(zip([1, 2, 3, 4].map((n) => part(`${n}.txt`, "z".repeat(900 * 1024)))), caps);
    expect(bomb).toMatchObject({ ok: false, code: "payload_too_large" });
    const many = unpackArchive(zip(Array.from({ length: 11 }, (_, i) => part(`${i}.txt`, "x"))), caps);
    expect(many).toMatchObject({ ok: false, code: "payload_too_large" });
  });
});
