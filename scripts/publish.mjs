#!/usr/bin/env node
/**
 * After `observable build`: with CLV_PUBLISH=aggregates (the report build, src/lib/explore/publish.ts), removes
 * the transactions from the built site (the loader already wrote them with no rows; Framework copies the file
 * because database.ts names it) and fails the build if any Parquet file remains. Without CLV_PUBLISH it does
 * nothing.
 */
import {existsSync, readdirSync, rmSync} from "node:fs";
import {join, relative} from "node:path";

const mode = (process.env.CLV_PUBLISH ?? "").trim().toLowerCase();
if (mode === "aggregates") {
  const dist = process.env.CLV_DIST ?? "dist";
  if (!existsSync(join(dist, "index.html"))) {
    console.error(`publish: ${dist}/ has no index.html; run observable build first`);
    process.exit(1);
  }
  const files = (dir) => readdirSync(dir, {withFileTypes: true}).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
  const raw = files(dist).filter((file) => /\.parquet$/i.test(file));
  for (const file of raw) {
    rmSync(file);
    console.error(`publish: removed ${relative(dist, file)} (the report build ships no transactions)`);
  }
  const left = files(dist).filter((file) => /\.parquet$/i.test(file));
  if (left.length) {
    console.error(`publish: Parquet files remain in ${dist}: ${left.join(", ")}`);
    process.exit(1);
  }
  console.error(`publish: ${dist}/ holds aggregate tables only (customer ids pseudonymised, groups under ${process.env.CLV_MIN_GROUP || 10} customers merged)`);
}
