import { Link } from "../../components/link";
import { notify } from "../../lib/notices";
import { navigate, paths } from "../../lib/router";
import { ScheduleForm } from "./schedule-form";
import { useCreateSchedule } from "./use-schedules";

export function NewSchedulePage() {
  const create = useCreateSchedule();
  return (
    <div className="schedule-page">
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link to={paths.schedules()}>← Schedules</Link>
      </nav>
      <h1>New schedule</h1>
      <div className="form-panel">
        <ScheduleForm
          schedule={undefined}
          submitLabel="Create schedule"
          pendingLabel="Creating…"
          isPending={create.isPending}
          error={create.error}
          onSubmit={(body) =>
            create.mutate(
              { body },
              {
                onSuccess: (response) => {
                  notify(`Schedule ${response.body.data.name} created`);
                  navigate(paths.schedule(response.body.data.id));
                },
              },
            )
          }
          onCancel={() => navigate(paths.schedules())}
        />
      </div>
    </div>
  );
}
