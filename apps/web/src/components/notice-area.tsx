import { dismissNotice, useNotices } from "../lib/notices";
import { Link } from "./link";

export function NoticeArea() {
  const notices = useNotices();
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.tone}`}>
          <span>{notice.message}</span>
          {notice.action && (
            <Link to={notice.action.href} onClick={() => dismissNotice(notice.id)}>
              {notice.action.label}
            </Link>
          )}
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => dismissNotice(notice.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
