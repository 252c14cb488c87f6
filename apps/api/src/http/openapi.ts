import { contract, EVENTS_PATH, JOB_EVENT } from "@jobdeck/contract";
import { generateOpenApi } from "@ts-rest/open-api";
import express, { type Router } from "express";
import swaggerUiDist from "swagger-ui-dist";

/** The OpenAPI 3 document, generated from the contract once at start. */
export function buildOpenApiDocument(version: string) {
  const document = generateOpenApi(
    contract,
    {
      info: {
        title: "jobdeck API",
        version,
        description:
          "Submit jobs, watch them run, list them with filters, sorts and keyset pagination. " +
          "Every /v1 route needs `Authorization: Bearer <JWT>`; errors share one body (see ErrorBody).",
      },
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
    },
    {
      setOperationId: true,
      operationMapper: (operation) => ({ ...operation, security: [{ bearerAuth: [] }] }),
    },
  );
  return addWhatTsRestCannotModel(document);
}

type Operation = { responses: Record<string, { description: string; content?: Record<string, unknown> }> };
type Document = ReturnType<typeof generateOpenApi>;

/**
 * ts-rest documents JSON bodies only: the artifact's bytes (whose type is the artifact's own) and the
 * event stream (a plain Express route, see events/router.ts) are written in here.
 */
function addWhatTsRestCannotModel(document: Document): Document {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const binary = { schema: { type: "string", format: "binary" } };
  const artifact = paths["/v1/jobs/{jobId}/artifact"]?.get;
  if (artifact) {
    artifact.responses["200"] = {
      description:
        "The artifact's bytes, with its own Content-Type (image/png, image/jpeg or image/webp for image.thumbnail)",
      content: {
        "image/png": binary,
        "image/jpeg": binary,
        "image/webp": binary,
        "application/octet-stream": binary,
      },
    };
  }
  const errors = paths["/v1/jobs/stats"]?.get?.responses ?? {};
  const jobSchema = (
    paths["/v1/jobs/{jobId}"]?.get?.responses["200"]?.content?.["application/json"] as
      { schema?: { properties?: { data?: unknown } } } | undefined
  )?.schema?.properties?.data;
  paths[EVENTS_PATH] = {
    get: {
      summary: "Server-Sent Events: one `job` event each time one of the caller's jobs changes",
      description:
        `Each change (created, started, retried, completed, failed, cancelled) is sent as \`event: ${JOB_EVENT}\` ` +
        "with `data:` the Job as GET /v1/jobs/{jobId} shows it and `id:` the event's id. A client that " +
        "reconnects with the `Last-Event-ID` header first receives the events it missed (kept for " +
        "EVENT_RETENTION_HOURS), then live ones, each once and in order. Comment lines (heartbeats) keep " +
        "idle streams open. Authenticate with the Authorization header (fetch-based SSE clients); " +
        "tokens are not accepted in the query string.",
      tags: ["events"],
      operationId: "streamEvents",
      security: [{ bearerAuth: [] }],
      parameters: [
        {
          name: "Last-Event-ID",
          in: "header",
          required: false,
          description: "The id of the last event received: the stream resumes after it.",
          schema: { type: "string", pattern: "^[0-9]+$" },
        },
      ],
      responses: {
        "200": {
          description: "An event stream that stays open",
          content: {
            "text/event-stream": {
              schema: { type: "string", description: `Events named "${JOB_EVENT}"; their data is a Job` },
              ...(jobSchema ? { "x-event-data": jobSchema } : {}),
            },
          },
        },
        ...Object.fromEntries(
          ["400", "401", "429", "500", "503"].flatMap((status) =>
            errors[status] ? [[status, errors[status]]] : [],
          ),
        ),
      },
    } as unknown as Operation,
  };
  return document;
}

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

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });`;

/** /docs: Swagger UI served from our own node_modules, so the page works with no CDN. */
export function docsRouter(): Router {
  const router = express.Router();
  const assets = swaggerUiDist.getAbsoluteFSPath();
  router.get("/", (_req, res) => {
    res.type("html").send(DOCS_PAGE);
  });
  router.get("/init.js", (_req, res) => {
    res.type("application/javascript").send(DOCS_INIT);
  });
  router.use("/assets", express.static(assets, { index: false, maxAge: "1d" }));
  return router;
}
