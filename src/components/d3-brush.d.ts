/**
 * The few d3 functions the brushes use. d3 ships without types and @types/d3 is not a dependency; these
 * declarations cover only what src/components calls (d3-selection's select, d3-brush's brushX).
 */
declare module "d3-selection" {
  export interface Selection {
    append(name: string): Selection;
    attr(name: string, value: string | number | null): Selection;
    call<A extends unknown[]>(fn: (selection: Selection, ...args: A) => unknown, ...args: A): Selection;
  }
  export function select(node: Element): Selection;
}

declare module "d3-brush" {
  import type {Selection} from "d3-selection";
  export interface D3BrushEvent {
    type: "start" | "brush" | "end";
    /** The selection in pixels, null when cleared. */
    selection: [number, number] | null;
    /** The user's event; null when the selection was moved by code. */
    sourceEvent: Event | null;
  }
  export interface BrushBehavior {
    (selection: Selection): void;
    extent(extent: [[number, number], [number, number]]): BrushBehavior;
    on(type: string, listener: ((event: D3BrushEvent) => void) | null): BrushBehavior;
    move(group: Selection, selection: [number, number] | null): void;
  }
  export function brushX(): BrushBehavior;
}
