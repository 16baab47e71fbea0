import { bigint, timestamp } from "drizzle-orm/pg-core";

/** Column shapes every schema file shares: UTC timestamps (timestamptz) and integer micro-dollars. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const created = () => ts("created_at").notNull().defaultNow();
export const micros = (name: string) => bigint(name, { mode: "number" });
