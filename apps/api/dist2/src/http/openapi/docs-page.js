import express, {} from "express";
// The package's index requires its 1.5 MB browser bundle into the server (about 10 MB of heap);
// only the path of the files is needed here.
import getAbsoluteFSPath from "swagger-ui-dist/absolute-path.js";
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>jobdeck API reference</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;
// Operation ids are what generated clients call their methods; extensions carry the event stream's events.
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true, displayOperationId: true, showExtensions: true });`;
/** /docs: Swagger UI served from our own node_modules, so the page works with no CDN. */
export function docsRouter() {
    const router = express.Router();
    const assets = getAbsoluteFSPath();
    router.get("/", (_req, res) => {
        res.type("html").send(DOCS_PAGE);
    });
    router.get("/init.js", (_req, res) => {
        res.type("application/javascript").send(DOCS_INIT);
    });
    router.use("/assets", express.static(assets, { index: false, maxAge: "1d" }));
    return router;
}
//# sourceMappingURL=docs-page.js.map