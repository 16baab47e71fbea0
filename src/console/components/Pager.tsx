import { useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * Cursor paging: the API hands out `next_cursor`; the cursors of pages already seen are kept so
 * "previous" needs no offset query (offsets get slow on large tables, cursors do not).
 */
export function Pager({
  page,
  hasNext,
  onPrev,
  onNext,
}: {
  page: number;
  hasNext: boolean;
  onPrev: () => void;
  onNext: () => void;
}) {
  const { t } = useTranslation();
  return (
    <nav className="pager" aria-label={t("common.paging")}>
      <button type="button" onClick={onPrev} disabled={page === 0}>
        {t("common.previous")}
      </button>
      <span aria-live="polite">{t("common.page_n", { n: page + 1 })}</span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        {t("common.next")}
      </button>
    </nav>
  );
}

/** The cursor stack behind a Pager. */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = cursors.length - 1;
  return {
    page,
    cursor: cursors[page],
    next: (c: string | null | undefined) => c && setCursors((s) => [...s, c]),
    prev: () => setCursors((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    reset: () => setCursors([undefined]),
  };
}
