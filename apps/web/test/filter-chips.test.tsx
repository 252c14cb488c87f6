import type { Job } from "@jobdeck/contract";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { FilterBar } from "../src/features/jobs/filter-bar";
import { JobsPage } from "../src/features/jobs/jobs-page";
import { EMPTY_FILTERS, type ViewFilters } from "../src/features/jobs/list-state";
import { fakeApi, job, jobType, ok, refused, signInAs, type SentRequest } from "./support/api";
import { QueryProviders, testQueryClient } from "./support/queries";

const emailSchema = {
  type: "object",
  properties: {
    to: { type: "string" },
    user: { type: "object", properties: { id: { type: "integer" }, plan: { enum: ["free", "pro"] } } },
  },
};
const jobTypes = [
  { ...jobType({ type: "email.send", payloadSchema: emailSchema }) },
  {
    ...jobType({ type: "sleep", payloadSchema: { type: "object", properties: { ms: { type: "integer" } } } }),
  },
];

function Harness({
  initial = EMPTY_FILTERS,
  onChange,
}: {
  initial?: ViewFilters;
  onChange: (f: ViewFilters) => void;
}) {
  const [filters, setFilters] = useState(initial);
  return (
    <FilterBar
      filters={filters}
      jobTypes={jobTypes}
      statusCounts={undefined}
      queueNames={[]}
      schedules={[]}
      onChange={(next) => {
        setFilters(next);
        onChange(next);
      }}
    />
  );
}

const suggestionsOf = (input: HTMLElement) => {
  const listId = input.getAttribute("list");
  if (!listId) return [];
  return [...(document.getElementById(listId)?.querySelectorAll("option") ?? [])].map(
    (option) => option.value,
  );
};

const addForm = () => screen.getByRole("form", { name: "Add a filter" });

describe("Add filter", () => {
  it("suggests payload paths from the chosen type's schema and adds a removable chip", async () => {
    const onChange = vi.fn();
    render(<Harness initial={{ ...EMPTY_FILTERS, types: ["email.send"] }} onChange={onChange} />);
    await userEvent.click(screen.getByRole("button", { name: "Add filter" }));
    const form = addForm();
    expect(within(form).getByRole("combobox", { name: "Filter on" })).toHaveValue("payload");
    const path = within(form).getByRole("combobox", { name: "Payload path" });
    expect(suggestionsOf(path)).toEqual(["to", "user", "user.id", "user.plan"]);
    expect(path).toHaveAccessibleDescription(/4 paths from the payload schema of email\.send/);

    // A path whose schema names its values offers them as typed in a filter.
    await userEvent.type(path, "user.plan");
    expect(suggestionsOf(within(form).getByRole("combobox", { name: "Value" }))).toEqual(["free", "pro"]);
    await userEvent.clear(path);
    await userEvent.type(path, "user.id");
    expect(suggestionsOf(within(form).getByRole("combobox", { name: "Value" }))).toEqual([]);
    await userEvent.type(within(form).getByRole("combobox", { name: "Value" }), "42");
    await userEvent.click(within(form).getByRole("button", { name: "Add" }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ fields: [{ kind: "payload", key: "user.id", value: "42" }] }),
    );
    const chips = screen.getByRole("list", { name: "Tag and field filters" });
    expect(within(chips).getByRole("listitem")).toHaveTextContent("payload.user.id = 42");
    // The form is ready for the next one.
    expect(path).toHaveValue("");

    await userEvent.click(screen.getByRole("button", { name: "Remove filter payload.user.id = 42" }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ fields: [] }));
    expect(screen.queryByRole("list", { name: "Tag and field filters" })).not.toBeInTheDocument();
  });

  it("suggests from every type when none is chosen, and nothing for result paths without a result schema", async () => {
    render(<Harness onChange={vi.fn()} />);
    await userEvent.click(screen.getByRole("button", { name: "Add filter" }));
    const form = addForm();
    expect(suggestionsOf(within(form).getByRole("combobox", { name: "Payload path" }))).toEqual([
      "ms",
      "to",
      "user",
      "user.id",
      "user.plan",
    ]);
    await userEvent.selectOptions(within(form).getByRole("combobox", { name: "Filter on" }), "result");
    const resultPath = within(form).getByRole("combobox", { name: "Result path" });
    expect(suggestionsOf(resultPath)).toEqual([]);
    expect(resultPath).toHaveAccessibleDescription(/No result schema is published for every job type/);
  });

  it("refuses what the API would refuse, with its words, and adds nothing", async () => {
    const onChange = vi.fn();
    render(<Harness onChange={onChange} />);
    await userEvent.click(screen.getByRole("button", { name: "Add filter" }));
    const form = addForm();
    await userEvent.type(within(form).getByRole("combobox", { name: "Payload path" }), "a.b.c.d.e.f.g.h.i");
    await userEvent.type(within(form).getByRole("combobox", { name: "Value" }), "1");
    await userEvent.click(within(form).getByRole("button", { name: "Add" }));
    expect(within(form).getByRole("alert")).toHaveTextContent(
      "payload.a.b.c.d.e.f.g.h.i: the path must have at most 8 dot-separated names",
    );
    await userEvent.selectOptions(within(form).getByRole("combobox", { name: "Filter on" }), "metadata");
    await userEvent.type(within(form).getByRole("combobox", { name: "Metadata key" }), "bad key");
    await userEvent.type(within(form).getByRole("combobox", { name: "Value" }), "x");
    await userEvent.click(within(form).getByRole("button", { name: "Add" }));
    expect(within(form).getByRole("alert")).toHaveTextContent(/the key must be 1–64 characters/);
    expect(onChange).not.toHaveBeenCalled();
  });

  it("shows tags as chips beside field filters, and adds a tag or a metadata filter the same way", async () => {
    const onChange = vi.fn();
    render(<Harness initial={{ ...EMPTY_FILTERS, tags: ["nightly"] }} onChange={onChange} />);
    const chips = screen.getByRole("list", { name: "Tag and field filters" });
    expect(within(chips).getByRole("listitem")).toHaveTextContent("tag: nightly");

    await userEvent.click(screen.getByRole("button", { name: "Add filter" }));
    const form = addForm();
    await userEvent.selectOptions(within(form).getByRole("combobox", { name: "Filter on" }), "tag");
    await userEvent.type(within(form).getByRole("textbox", { name: "Tag" }), "customer:acme");
    await userEvent.click(within(form).getByRole("button", { name: "Add" }));
    await userEvent.selectOptions(within(form).getByRole("combobox", { name: "Filter on" }), "metadata");
    await userEvent.type(within(form).getByRole("combobox", { name: "Metadata key" }), "team");
    await userEvent.type(within(form).getByRole("combobox", { name: "Value" }), "billing");
    await userEvent.click(within(form).getByRole("button", { name: "Add" }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        tags: ["nightly", "customer:acme"],
        fields: [{ kind: "metadata", key: "team", value: "billing" }],
      }),
    );
    expect(
      within(chips)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(["tag: nightly×", "tag: customer:acme×", "metadata.team = billing×"]);
    await userEvent.click(screen.getByRole("button", { name: "Remove filter tag: nightly" }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ tags: ["customer:acme"] }));
  });
});

const page = (data: Job[]) =>
  Response.json({
    success: true,
    data,
    pagination: { limit: 50, nextCursor: null, hasMore: false, isPartial: false },
  });

const queryOf = (request: SentRequest) => new URLSearchParams(request.path.split("?")[1]);

function renderJobsPage(answer: (request: SentRequest) => Response) {
  const requests = fakeApi(answer);
  render(
    <QueryProviders client={testQueryClient()}>
      <JobsPage />
    </QueryProviders>,
  );
  return requests;
}

const defaultAnswers = (request: SentRequest, list: () => Response) => {
  const { path } = request;
  if (path.startsWith("/v1/jobs?")) return list();
  if (path.startsWith("/v1/jobs/stats"))
    return ok(200, { total: 1, byStatus: { pending: 0, running: 1, completed: 0, failed: 0, cancelled: 0 } });
  if (path.startsWith("/v1/job-types")) return ok(200, jobTypes, "Job types retrieved");
  return page([]);
};

describe("field filters on the jobs page", () => {
  beforeEach(() => {
    signInAs("reader");
    vi.spyOn(Element.prototype, "clientHeight", "get").mockReturnValue(340);
  });

  it("come from the URL, go to the list and the counts, and a chip's removal changes the URL", async () => {
    const matching = job({ type: "email.send", payload: { user: { id: 42 } } });
    history.replaceState(null, "", "/?type=email.send&payload.user.id=42&metadata.team=billing");
    const requests = renderJobsPage((request) => defaultAnswers(request, () => page([matching])));
    expect(await screen.findByRole("link", { name: `Job ${matching.id}` })).toBeInTheDocument();

    const list = requests.find((r) => r.path.startsWith("/v1/jobs?"));
    expect(list && Object.fromEntries(queryOf(list))).toMatchObject({
      type: "email.send",
      "payload.user.id": "42",
      "metadata.team": "billing",
    });
    const stats = requests.find((r) => r.path.startsWith("/v1/jobs/stats"));
    expect(stats && Object.fromEntries(queryOf(stats))).toMatchObject({
      "payload.user.id": "42",
      "metadata.team": "billing",
    });

    await userEvent.click(screen.getByRole("button", { name: "Remove filter metadata.team = billing" }));
    expect(location.search).toBe("?type=email.send&payload.user.id=42");
  });

  it("show the API's 400 message if the server refuses a filter after all", async () => {
    history.replaceState(null, "", "/?payload.user.id=42");
    renderJobsPage((request) =>
      defaultAnswers(request, () => refused(400, "VALIDATION_ERROR", "payload.user.id: not searchable here")),
    );
    const panel = await screen.findByRole("alert", {}, { timeout: 5000 });
    expect(panel).toHaveTextContent("The jobs could not be loaded");
    expect(panel).toHaveTextContent("payload.user.id: not searchable here");
  });

  it("send the view's field filters with 'Select all matching'", async () => {
    history.replaceState(null, "", "/?payload.user.id=42");
    const requests = renderJobsPage((request) => {
      if (request.path.startsWith("/v1/bulk-operations")) return ok(200, { matched: 1 });
      return defaultAnswers(request, () => page([job({ payload: { user: { id: 42 } } })]));
    });
    await userEvent.click(await screen.findByRole("button", { name: "Select all matching" }));
    expect(await screen.findByText(/matching job selected/)).toBeInTheDocument();
    const dryRun = requests.find((r) => r.path.startsWith("/v1/bulk-operations"));
    expect(JSON.parse(dryRun?.body ?? "{}")).toMatchObject({
      dryRun: true,
      filter: { "payload.user.id": "42" },
    });
  });
});
