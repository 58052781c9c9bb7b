/**
 * Binds a page's inputs to its URL (src/lib/urlState.ts encodes the values): `urlInput("horizon",
 * Inputs.range(…))` sets the input from `?horizon=24` when the page opens, and rewrites the parameter
 * (history.replaceState: no new history entry, no reload) whenever the input changes, dropping it when the
 * input is back at its default. A value from the link that the input does not offer (a choice it lacks, a
 * number out of range) is not applied: the input keeps its default, says so under it, and the parameter
 * leaves the address (a copied link does not carry it on).
 */
import {decodeValue, encodeValue, sameValue, withParams} from "../lib/urlState.js";

type ValueInput = HTMLElement & {value: unknown};

/** Replaces the query string of the address bar (keeping the path and the hash). */
export function replaceSearch(search: string): void {
  if (search === location.search) return;
  history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
}

/**
 * `base`: the value a link without the parameter means (default: the input's value as given). An input that
 * opens on another value (the RFM page's bins from the segmentation saved in this browser) writes it into the
 * address at once, so that a copied link carries it to a browser that saved something else.
 */
export function urlInput<T extends ValueInput>(name: string, input: T, {base = input.value}: {base?: unknown} = {}): T {
  const initial = input.value;
  const decoded = decodeValue(location.search, name, initial);
  if (decoded?.ok) {
    input.value = decoded.value;
    if (!sameValue(input.value, decoded.value) || !valid(input)) {
      input.value = initial;
      refuse(input, name, `The address gives ${name} = ${describe(decoded.value)}, which this input does not offer: it shows its default.`);
    }
  } else if (decoded) {
    refuse(input, name, `The address's ${decoded.message}; the input shows its default.`);
  }
  const write = () => replaceSearch(withParams(location.search, name, sameValue(input.value, base) ? [] : encodeValue(name, input.value)));
  if (!sameValue(input.value, base)) write();
  input.addEventListener("input", write);
  return input;
}

/**
 * A page's own state that is not an input (a clicked segment in a Mutable): its text in the URL, or
 * `fallback` when the URL has none. setUrlText writes it back (null removes it).
 */
export function urlText(name: string, fallback: string | null = null): string | null {
  return new URLSearchParams(location.search).get(name) ?? fallback;
}

export function setUrlText(name: string, value: string | null): void {
  replaceSearch(withParams(location.search, name, value == null ? [] : [[name, value]]));
}

/** Every control inside the input accepts its value (min, max, step), and no disabled choice is picked. */
function valid(input: HTMLElement): boolean {
  const controls = Array.from(input.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>("input, select, textarea"));
  return controls.every((control) => control.checkValidity() && !(control.disabled && control instanceof HTMLInputElement && control.checked));
}

function describe(value: unknown): string {
  return encodeValue("", value)
    .map(([key, text]) => (key ? `${key.slice(1)}=${text}` : text))
    .join(", ");
}

/** Says under the input why the address's value was not applied, and takes it out of the address. */
function refuse(input: HTMLElement, name: string, message: string): void {
  replaceSearch(withParams(location.search, name, []));
  const note = document.createElement("p");
  note.className = "url-refused warning";
  note.textContent = message;
  input.append(note);
}

/**
 * A "Copy link" button: copies the address of the page as it is shown, with `link()`'s query string (the
 * filter bar passes one that states its filters, even none), and shows the link beside it, selected, for
 * when the clipboard is not available (a page served over plain http from another host).
 */
export function CopyLink(link: () => string = () => location.search): HTMLElement {
  const wrapper = document.createElement("span");
  wrapper.className = "copy-link";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Copy link";
  button.title = "Copy a link that opens this page with these filters and inputs";
  const shown = document.createElement("input");
  shown.type = "text";
  shown.readOnly = true;
  shown.className = "copy-link-url";
  shown.hidden = true;
  const status = document.createElement("small");
  status.className = "muted";
  button.addEventListener("click", async () => {
    replaceSearch(link());
    const url = location.href;
    shown.value = url;
    shown.hidden = false;
    shown.select();
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = " Copied.";
    } catch {
      status.textContent = " Copy the selected link (the clipboard is not available here).";
    }
  });
  wrapper.append(button, status, shown);
  return wrapper;
}
