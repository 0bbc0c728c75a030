// Where a page of a long list sits in it: "Flags 101 to 200 of 1,234", and where the previous
// and next pages start.

/** What every paged list the backend returns has. */
export interface Paged {
  total: number;
  offset: number;
  page_size: number;
}

export interface Span {
  /** The first and last shown, counting from 1 (0 and 0 before the page is read). */
  first: number;
  last: number;
  hasPrevious: boolean;
  hasNext: boolean;
  /** Where the previous page starts. */
  previous: number;
}

/** The span of `page`, which shows `shown` items. */
export function span(page: Paged | null, shown: number): Span {
  if (!page) return { first: 0, last: 0, hasPrevious: false, hasNext: false, previous: 0 };
  const last = page.offset + shown;
  return { first: page.offset + 1, last, hasPrevious: page.offset > 0, hasNext: last < page.total, previous: Math.max(0, page.offset - page.page_size) };
}
