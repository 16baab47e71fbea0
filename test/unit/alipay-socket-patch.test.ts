import { Socket } from "node:net";
import { describe, expect, it } from "vitest";

/**
 * alipay-sdk's urllib replaces Socket.prototype.destroy process-wide, and its replacement throws when one
 * error destroys two sockets: under a database timeout mid-stream that crashed both API processes of the
 * soak. Loading the Alipay adapter must leave Node's own destroy in place.
 */
describe("the Alipay adapter and net.Socket", () => {
  it("leaves Socket.prototype.destroy as Node's, so one error can destroy two sockets", async () => {
    const before = Socket.prototype.destroy;
    await import("../../src/billing/payments/alipay.js");
    expect(Socket.prototype.destroy).toBe(before);
    const err = new Error("database timeout");
    const seen: Error[] = [];
    const a = new Socket().on("error", (e) => seen.push(e));
    const b = new Socket().on("error", (e) => seen.push(e));
    a.destroy(err);
    expect(() => b.destroy(err)).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([err, err]);
  });
});
