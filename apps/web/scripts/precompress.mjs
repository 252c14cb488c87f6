// Run by `npm run build` after `vite build`: writes a brotli copy (.br, quality 11) and a gzip copy
// (.gz, level 9) beside each text file of dist/, which the API sends to the browsers that accept
// them (apps/api/src/http/precompressed.ts). Brotli at 11 takes most of a second for the main
// script: too slow for each request, nothing at build time.
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const dist = fileURLToPath(new URL("../dist", import.meta.url));
// Source maps are left out: only developer tools fetch them.
const TEXT = /\.(html|js|css|svg|json|txt)$/;

const encoders = [
  {
    suffix: ".br",
    encode: (bytes) =>
      promisify(brotliCompress)(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      }),
  },
  { suffix: ".gz", encode: (bytes) => promisify(gzip)(bytes, { level: constants.Z_BEST_COMPRESSION }) },
];

const files = (await readdir(dist, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile() && TEXT.test(entry.name))
  .map((entry) => join(entry.parentPath, entry.name));

const totals = { raw: 0, ".br": 0, ".gz": 0 };
await Promise.all(
  files.map(async (file) => {
    const bytes = await readFile(file);
    totals.raw += bytes.length;
    for (const { suffix, encode } of encoders) {
      const encoded = await encode(bytes);
      // A copy no smaller than the file (a tiny one) would only cost the server a look-up.
      if (encoded.length < bytes.length) {
        await writeFile(file + suffix, encoded);
        totals[suffix] += encoded.length;
      } else {
        await rm(file + suffix, { force: true });
        totals[suffix] += bytes.length;
      }
    }
  }),
);
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
console.log(
  `precompressed ${files.length} files of ${kB(totals.raw)}: brotli ${kB(totals[".br"])}, gzip ${kB(totals[".gz"])}`,
);
