// Live updates: the approval event stream for people who may read it, otherwise a gentle poll.
import { can } from './app.js';

/** Calls {@code reload} when the approval queue changes (or every {@code pollMs}); returns a stop function. */
export function liveApprovals(reload, pollMs) {
  let pending = null;
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(() => reload().catch(() => {}), 150);
  };
  if (can('APPROVER', 'ADMIN') && 'EventSource' in window) {
    const source = new EventSource('/api/approvals/stream');
    source.addEventListener('approval', soon);
    const timer = setInterval(soon, pollMs * 3);
    return () => {
      source.close();
      clearInterval(timer);
      clearTimeout(pending);
    };
  }
  const timer = setInterval(soon, pollMs);
  return () => {
    clearInterval(timer);
    clearTimeout(pending);
  };
}
