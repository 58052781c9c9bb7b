/**
 * A button that downloads the segmentation in force as segmentation.json, the file
 * `clv rfm FILE --segmentation segmentation.json` and `clv report FILE --out DIR --segmentation segmentation.json`
 * read, so the command line segments customers as the pages do.
 */
import {segmentationToJson, type Segmentation} from "../lib/rfm/segmentation.js";
import {saveBlob} from "./download.js";

export function SegmentationFile(segmentation: Segmentation, {label = "Download these settings for the command line"}: {label?: string} = {}): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "download-button";
  button.textContent = `↓ ${label}`;
  button.dataset.filename = "segmentation.json";
  button.title = "segmentation.json: use it with clv rfm or clv report --segmentation segmentation.json";
  button.addEventListener("click", () => {
    saveBlob(new Blob([segmentationToJson(segmentation)], {type: "application/json;charset=utf-8"}), "segmentation.json");
  });
  return button;
}
