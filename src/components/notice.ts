/** A muted note shown in place of a chart that cannot be drawn (a missing column, no data). */
export function Notice(text: string): HTMLElement {
  const p = document.createElement("p");
  p.className = "muted notice";
  p.textContent = text;
  return p;
}

/** "This data has no province column." in place of the chart. */
export function NoColumn(column: string): HTMLElement {
  return Notice(`This data has no ${column} column.`);
}
