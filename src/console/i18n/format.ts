import { currentLocale } from "./index";

/** Dates, numbers and money through Intl in the console's current locale. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}

export function formatDay(iso: string): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(iso),
  );
}

export function formatNumber(n: number | null | undefined, digits?: number): string {
  if (n === null || n === undefined) return "—";
  return new Intl.NumberFormat(
    currentLocale(),
    digits === undefined ? {} : { maximumFractionDigits: digits },
  ).format(n);
}

export function formatPercent(ratio: number): string {
  return new Intl.NumberFormat(currentLocale(), { style: "percent", maximumFractionDigits: 1 }).format(ratio);
}

/**
 * Money arrives as integer micro-dollars; shown in US dollars with up to six decimals so a
 * $0.000042 call is not rounded to zero.
 */
export function formatMicros(micros: number): string {
  return new Intl.NumberFormat(currentLocale(), {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  }).format(micros / 1e6);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(currentLocale(), {
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: unit ? 1 : 0,
  }).format(value);
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return new Intl.NumberFormat(currentLocale(), {
    style: "unit",
    unit: "millisecond",
    unitDisplay: "short",
    maximumFractionDigits: 0,
  }).format(ms);
}
