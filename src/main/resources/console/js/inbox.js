// The approver inbox: pending requests riskiest and oldest first (the server's order), live; and my history.
import { api, get } from './api.js';
import { h, clear, empty, toast, when, badge, countdown, uid } from './dom.js';
import { session } from './app.js';
import { liveApprovals } from './live.js';
import { rulesFired } from './rulesfired.js';
import { explainer } from './explain.js';

export async function inbox(tab) {
  const history = tab === 'history';
  const list = h('div', { id: 'approvals', 'aria-live': 'polite' });
  const counter = h('p', { class: 'meta', id: 'approval-count' });

  async function load() {
    if (history) {
      const [approved, rejected] = await Promise.all(['approved', 'rejected'].map(s => get(`/api/approvals?status=${s}&limit=100`)));
      const mine = [...approved.items, ...rejected.items]
        .filter(a => a.votes.some(v => v.principal === session.me.principal))
        .sort((a, b) => String(b.decidedAt).localeCompare(String(a.decidedAt)));
      clear(counter, mine.length === 1 ? '1 request you voted on' : `${mine.length} requests you voted on`);
      clear(list, mine.length ? h('ul', { class: 'plain' }, mine.map(historyItem))
        : empty('You have not decided anything yet. Pending requests are under “Waiting for you”.'));
      return;
    }
    const pending = await get('/api/approvals?status=pending&limit=100');
    // the tiers' rules behind each parked action (the request itself carries the routing rules)
    const decisions = await Promise.all(pending.items.map(a => (a.kind === 'ACTION' && a.decisionId
      ? get(`/api/agents/${a.agentId}/decisions/${a.decisionId}`).catch(() => null) : null)));
    clear(counter, `${pending.total} waiting`);
    clear(list, pending.items.length ? h('ul', { class: 'plain' }, pending.items.map((a, i) => card(a, decisions[i], load)))
      : empty('Nothing is waiting for you. New requests appear here as soon as an agent proposes them.'));
    tick();
  }

  function tick() {
    for (const el of list.querySelectorAll('[data-deadline]')) {
      el.textContent = countdown(el.dataset.deadline);
      el.classList.toggle('urgent', new Date(el.dataset.deadline).getTime() - Date.now() < 3600000);
    }
  }

  await load();
  const stop = liveApprovals(load, 10000);
  const ticker = setInterval(tick, 1000);
  return {
    node: h('section', {},
      h('h1', {}, 'Approvals'),
      h('nav', { class: 'tabs', 'aria-label': 'Approvals' },
        h('a', { href: '#/inbox', 'aria-current': history ? null : 'page' }, 'Waiting for you'),
        h('a', { href: '#/inbox?tab=history', 'aria-current': history ? 'page' : null }, 'My history')),
      counter, list),
    leave: () => {
      stop();
      clearInterval(ticker);
    },
  };
}

function title(a) {
  if (a.kind === 'DEPLOYMENT') return `Deploy ${a.agentName} version ${a.blueprintVersion}`;
  const s = a.summary || {};
  return `${s.actionType || 'Action'} by ${a.agentName}${s.contactId ? ` for ${s.contactId}` : ''}`;
}

function card(a, decision, reload) {
  const me = session.me.principal;
  const excluded = a.excludedVoters.filter(x => x.principal === me);
  const voted = a.votes.some(v => v.principal === me);
  const commentId = uid('comment');
  const comment = h('textarea', { id: commentId, rows: 2, 'aria-describedby': commentId + '-hint' });
  const error = h('p', { class: 'error', role: 'alert' });

  async function vote(approve) {
    if (!approve && !comment.value.trim()) {
      error.textContent = 'Say why you reject it: the comment goes to the requester and the audit trail.';
      comment.focus();
      return;
    }
    try {
      await api('POST', `/api/approvals/${a.id}/${approve ? 'approve' : 'reject'}`,
        comment.value.trim() ? { comment: comment.value.trim() } : undefined);
      toast(`${approve ? 'Approved' : 'Rejected'}: ${title(a)}`, 'ok');
      await reload();
    } catch (e) {
      error.textContent = e.message;
    }
  }

  const s = a.summary || {};
  return h('li', { class: 'card approval', dataset: { approval: a.id } },
    h('div', { class: 'title-row' }, h('h2', {}, title(a)), badge(`risk ${a.riskScore.toFixed(2)}`, a.riskScore >= 0.7 ? 'high' : a.riskScore >= 0.4 ? 'medium' : 'low')),
    h('p', { class: 'meta' }, `${a.kind} · requested by ${a.requestedBy} · ${when(a.createdAt)} · for ${a.approverRole}${a.escalated ? ' · escalated' : ''}`),
    h('p', {}, 'Deadline: ', h('strong', { dataset: { deadline: a.expiresAt } }, countdown(a.expiresAt)), ` (${when(a.expiresAt)})`),
    h('p', {}, h('label', { for: 'q-' + a.id }, `Approvals ${a.approvals} of ${a.requiredApprovals} `),
      h('progress', { id: 'q-' + a.id, max: a.requiredApprovals, value: a.approvals })),
    a.kind === 'ACTION' ? h('dl', { class: 'summary' },
      h('dt', {}, 'Action'), h('dd', {}, `${s.actionType} (${s.scope}), confidence ${s.confidence}`),
      s.reasoning ? [h('dt', {}, 'Agent’s reasoning'), h('dd', {}, s.reasoning)] : null,
      s.payload && Object.keys(s.payload).length ? [h('dt', {}, 'Payload'), h('dd', {}, h('code', { class: 'wrap' }, JSON.stringify(s.payload)))] : null) : null,
    h('h3', {}, 'Why a human decides'), h('ul', {}, (a.reasons || []).map(r => h('li', {}, r))),
    h('h3', {}, 'Rules that fired'), rulesFired([...((decision && decision.rulesFired) || []), ...(a.rulesFired || [])]),
    a.kind === 'ACTION' && a.decisionId ? explainer(a.agentId, a.decisionId) : null,
    a.votes.length ? h('p', { class: 'meta' }, 'Votes: ', a.votes.map(v => `${v.principal} ${v.vote}${v.comment ? ` (“${v.comment}”)` : ''}`).join('; ')) : null,
    excluded.length ? h('p', { class: 'notice' }, `You may not vote on this: ${excluded.map(x => x.reason).join('; ')}.`)
      : voted ? h('p', { class: 'notice' }, 'You voted; it waits for another approver.')
        : h('div', { class: 'vote' },
          h('label', { for: commentId }, 'Comment'), comment,
          h('p', { class: 'hint', id: commentId + '-hint' }, 'Optional when approving, needed when rejecting.'),
          error,
          h('div', { class: 'buttons' },
            h('button', { type: 'button', class: 'primary approve', onclick: () => vote(true) }, 'Approve'),
            h('button', { type: 'button', class: 'danger reject', onclick: () => vote(false) }, 'Reject'))));
}

const PAST = { approve: 'approved', reject: 'rejected' };

function historyItem(a) {
  const mine = a.votes.find(v => v.principal === session.me.principal);
  return h('li', { class: 'card' }, h('div', { class: 'title-row' }, h('h2', {}, title(a)), badge(a.status)),
    h('p', { class: 'meta' }, `You ${PAST[mine.vote.toLowerCase()] || mine.vote.toLowerCase()} ${when(mine.at)}${mine.comment ? `: “${mine.comment}”` : ''} · decided ${when(a.decidedAt)}`));
}
