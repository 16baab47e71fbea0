import { Socket } from "node:net";
import { describe, expect, it } from "vitest";

/**
 * The failure alipay-socket-patch.test.ts guards against, shown on urllib itself (a file of its own: a
 * module loaded once per file cannot be loaded fresh for a second test).
 */
describe("urllib's Socket.prototype.destroy", () => {
  it("throws when one error destroys two sockets (the failure the adapter test guards against)", async () => {
    const before = Socket.prototype.destroy;
    try {
      // Importing urllib directly installs its replacement, as alipay-sdk does.
      await import("urllib");
      expect(Socket.prototype.destroy).not.toBe(before);
      const err = new Error("database timeout");
      new Socket().on("error", () => {}).destroy(err);
      expect(() => new Socket().on("error", () => {}).destroy(err)).toThrow(/Cannot redefine property/);
    } finally {
      Socket.prototype.destroy = before;
    }
  });
});
