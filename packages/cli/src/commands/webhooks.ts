import { WEBHOOK_EVENTS, type Webhook, type WebhookBody } from "@jobdeck/contract";
import { Command } from "commander";
import { act, examples, jsonOption, type JsonFlags } from "../command-kit.js";
import type { Context } from "../context.js";
import { timeText } from "../format.js";
import { collect, integer } from "../input.js";
import type { Io } from "../output.js";
import { allPages } from "../paging.js";

type WebhookFlags = JsonFlags & {
  url?: string;
  event?: WebhookBody["events"];
  filterType?: string[];
  filterQueue?: string[];
  enabled?: boolean;
};

function withWebhookOptions(command: Command): Command {
  return command
    .option("--event <event>", `an event to send: ${WEBHOOK_EVENTS.join("|")} (repeatable)`, collect)
    .option("--filter-type <type>", "only jobs of this type (repeatable)", collect)
    .option("--filter-queue <queue>", "only jobs of this queue (repeatable)", collect)
    .option("--disabled", "registered but not sending")
    .option("--enabled", "sending (the default)")
    .addOption(jsonOption());
}

function webhookBody(flags: WebhookFlags & { disabled?: boolean }, base: WebhookBody): WebhookBody {
  const filter =
    flags.filterType !== undefined || flags.filterQueue !== undefined
      ? {
          ...(flags.filterType ? { type: flags.filterType } : {}),
          ...(flags.filterQueue ? { queue: flags.filterQueue } : {}),
        }
      : base.filter;
  return {
    url: flags.url ?? base.url,
    events: flags.event ?? base.events,
    filter: filter ?? null,
    isEnabled: flags.disabled ? false : flags.enabled ? true : (base.isEnabled ?? true),
  };
}

function printWebhook({ out }: Context, webhook: Webhook & { secret?: string }): void {
  out.fields([
    ["id", webhook.id],
    ["url", webhook.url],
    ["events", webhook.events.join(", ")],
    ["filter", JSON.stringify(webhook.filter)],
    ["enabled", webhook.isEnabled ? "yes" : out.colors.yellow("no")],
    ["created", timeText(webhook.createdAt, out.isTTY)],
    ...(webhook.secret ? ([["secret", webhook.secret]] as [string, string][]) : []),
  ]);
}

const idArgument = ["<id>", "the webhook's id (jobdeck webhooks list)"] as const;

export function webhooksCommand(io: Io): Command {
  const webhooks = new Command("webhooks").description("webhooks: endpoints told when jobs change (§13)");

  examples(
    webhooks
      .command("list")
      .alias("ls")
      .description("every webhook, newest first")
      .addOption(jsonOption())
      .action(
        act(io, async (context, flags: JsonFlags) => {
          const client = context.client();
          const all = await allPages((query) => client.webhooks.listWebhooks({ query }));
          if (flags.json) return context.out.json(all);
          const { out } = context;
          out.table(
            ["ID", "URL", "EVENTS", "ENABLED", "CREATED"],
            all.map((webhook) => [
              webhook.id,
              webhook.url,
              webhook.events.join(","),
              webhook.isEnabled ? "yes" : out.colors.yellow("no"),
              timeText(webhook.createdAt, out.isTTY),
            ]),
          );
        }),
      ),
    ["jobdeck webhooks list"],
  );

  examples(
    webhooks
      .command("get")
      .argument(...idArgument)
      .description("one webhook (without its secret)")
      .addOption(jsonOption())
      .action(
        act(io, async (context, id: string, flags: JsonFlags) => {
          const webhook = (await context.client().webhooks.getWebhook({ params: { id } })).body.data;
          if (flags.json) context.out.json(webhook);
          else printWebhook(context, webhook);
        }),
      ),
    ["jobdeck webhooks get 0190f7a0-…"],
  );

  examples(
    withWebhookOptions(
      webhooks
        .command("create")
        .argument("<url>", "where messages are POSTed")
        .description("register a webhook; prints its secret, shown this once"),
    ).action(
      act(io, async (context, url: string, flags: WebhookFlags & { disabled?: boolean }) => {
        const body = webhookBody({ ...flags, url }, { url, events: flags.event ?? [] });
        const webhook = (await context.client().webhooks.createWebhook({ body })).body.data;
        if (flags.json) return context.out.json(webhook);
        printWebhook(context, webhook);
        context.out.note("Keep the secret: it is shown this once (rotate-secret makes a new one).");
      }),
    ),
    [
      "jobdeck webhooks create https://example.com/hooks --event job.failed --event job.completed --filter-queue emails",
    ],
  );

  examples(
    withWebhookOptions(
      webhooks
        .command("update")
        .argument(...idArgument)
        .description("change a webhook; the flags not given keep their value")
        .option("--url <url>", "a new URL"),
    ).action(
      act(io, async (context, id: string, flags: WebhookFlags & { disabled?: boolean }) => {
        const client = context.client();
        const current = (await client.webhooks.getWebhook({ params: { id } })).body.data;
        const body = webhookBody(flags, {
          url: current.url,
          events: current.events,
          filter: Object.keys(current.filter).length > 0 ? current.filter : null,
          isEnabled: current.isEnabled,
        });
        const webhook = (await client.webhooks.putWebhook({ params: { id }, body })).body.data;
        if (flags.json) context.out.json(webhook);
        else context.out.line(`Updated webhook ${webhook.id}`);
      }),
    ),
    [
      "jobdeck webhooks update 0190f7a0-… --disabled",
      "jobdeck webhooks update 0190f7a0-… --event job.failed",
    ],
  );

  examples(
    webhooks
      .command("delete")
      .argument(...idArgument)
      .description("delete a webhook, its unsent messages and its delivery log")
      .action(
        act(io, async (context, id: string) => {
          await context.client().webhooks.deleteWebhook({ params: { id } });
          context.out.line(`Deleted webhook ${id}`);
        }),
      ),
    ["jobdeck webhooks delete 0190f7a0-…"],
  );

  examples(
    webhooks
      .command("rotate-secret")
      .argument(...idArgument)
      .description("give a webhook a new secret (printed this once); from now on only it signs")
      .addOption(jsonOption())
      .action(
        act(io, async (context, id: string, flags: JsonFlags) => {
          const webhook = (await context.client().webhooks.rotateWebhookSecret({ params: { id } })).body.data;
          if (flags.json) context.out.json(webhook);
          else context.out.line(webhook.secret);
        }),
      ),
    ["jobdeck webhooks rotate-secret 0190f7a0-… > secret.txt"],
  );

  examples(
    webhooks
      .command("test")
      .argument(...idArgument)
      .description("send a webhook.test message now")
      .action(
        act(io, async (context, id: string) => {
          const sent = (await context.client().webhooks.testWebhook({ params: { id } })).body.data;
          context.out.line(
            `Sent test message ${sent.webhookMessageId}; see it with jobdeck webhooks deliveries ${id}`,
          );
        }),
      ),
    ["jobdeck webhooks test 0190f7a0-…"],
  );

  examples(
    webhooks
      .command("deliveries")
      .argument(...idArgument)
      .description("a webhook's delivery attempts, newest first")
      .option("--limit <n>", "attempts to show, 1–100", "20")
      .addOption(jsonOption())
      .action(
        act(io, async (context, id: string, flags: JsonFlags & { limit: string }) => {
          const limit = integer(flags.limit, "--limit", 1, 100);
          const page = await context
            .client()
            .webhooks.listWebhookDeliveries({ params: { id }, query: { limit: String(limit) } });
          if (flags.json) return context.out.json(page.body.data);
          const { out } = context;
          out.table(
            ["ID", "EVENT", "JOB", "ATTEMPT", "STATUS", "MS", "ERROR", "AT"],
            page.body.data.map((delivery) => [
              delivery.id,
              delivery.eventType,
              delivery.jobId ?? "-",
              String(delivery.attempt),
              delivery.statusCode === null
                ? out.colors.red("none")
                : delivery.statusCode < 300
                  ? out.colors.green(String(delivery.statusCode))
                  : out.colors.red(String(delivery.statusCode)),
              delivery.durationMs === null ? "-" : String(delivery.durationMs),
              delivery.error ? `${delivery.error.code}: ${delivery.error.message}` : "-",
              timeText(delivery.createdAt, out.isTTY),
            ]),
          );
        }),
      ),
    ["jobdeck webhooks deliveries 0190f7a0-… --limit 50"],
  );

  examples(
    webhooks
      .command("redeliver")
      .argument(...idArgument)
      .argument("<deliveryId>", "the delivery to send again (jobdeck webhooks deliveries)")
      .description("send a delivery's message again")
      .action(
        act(io, async (context, id: string, deliveryId: string) => {
          const sent = (
            await context.client().webhooks.redeliverWebhookDelivery({ params: { id, deliveryId } })
          ).body.data;
          context.out.line(`Sent message ${sent.webhookMessageId} again`);
        }),
      ),
    ["jobdeck webhooks redeliver 0190f7a0-… 0190f7b2-…"],
  );
  return examples(webhooks, ["jobdeck webhooks list", "jobdeck webhooks deliveries 0190f7a0-…"]);
}
