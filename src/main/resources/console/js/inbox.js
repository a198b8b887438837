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
  // Edit, then approve: the payload as the approver wants it (the server re-checks it with the live rules).
  const payloadId = uid('payload');
  const original = JSON.stringify((a.summary || {}).payload || {}, null, 2);
  const payload = h('textarea', { id: payloadId, rows: 4, class: 'edit-payload' });
  payload.value = original;
  // A standing grant, when the routing rules allow one for this request (a.grantable).
  const g = a.grantable;
  const grantOn = h('input', { type: 'checkbox', id: 'grant-' + a.id, class: 'grant-on' });
  const grantScope = h('select', { 'aria-label': 'Grant for', class: 'grant-scope' },
    h('option', { value: 'contact' }, 'this contact'), h('option', { value: 'agent' }, 'any contact of this agent'));
  const grantHours = h('input', { type: 'number', min: 1, max: g ? g.maxHours : 1, value: 24, 'aria-label': 'Hours', class: 'grant-hours' });
  const grantUses = h('input', { type: 'number', min: 1, max: g ? g.maxUses : 1, value: 3, 'aria-label': 'Uses', class: 'grant-uses' });

  async function vote(approve) {
    if (!approve && !comment.value.trim()) {
      error.textContent = 'Say why you reject it: the comment goes to the requester and the audit trail.';
      comment.focus();
      return;
    }
    const body = {};
    if (comment.value.trim()) body.comment = comment.value.trim();
    if (approve && a.kind === 'ACTION' && payload.value.trim() !== original) {
      try {
        body.payload = JSON.parse(payload.value);
      } catch (e) {
        error.textContent = 'The payload is not valid JSON: ' + e.message;
        payload.focus();
        return;
      }
    }
    if (approve && g && grantOn.checked) {
      body.grant = { scope: grantScope.value, hours: Number(grantHours.value), maxUses: Number(grantUses.value) };
    }
    try {
      await api('POST', `/api/approvals/${a.id}/${approve ? 'approve' : 'reject'}`,
        Object.keys(body).length ? body : undefined);
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
    a.votes.length ? h('p', { class: 'meta' }, 'Votes: ', a.votes.map(v => `${v.principal} ${v.vote}${v.comment ? ` (“${v.comment}”)` : ''}${v.payload ? ' with an edited payload' : ''}${v.grant ? ` and a grant (${v.grant.scope}, ${v.grant.hours} h, ${v.grant.maxUses} uses)` : ''}`).join('; ')) : null,
    excluded.length ? h('p', { class: 'notice' }, `You may not vote on this: ${excluded.map(x => x.reason).join('; ')}.`)
      : voted ? h('p', { class: 'notice' }, 'You voted; it waits for another approver.')
        : h('div', { class: 'vote' },
          h('label', { for: commentId }, 'Comment'), comment,
          h('p', { class: 'hint', id: commentId + '-hint' }, 'Optional when approving, needed when rejecting.'),
          a.kind === 'ACTION' ? [h('label', { for: payloadId }, 'Payload to approve (edit it to approve a changed action)'), payload] : null,
          g ? h('p', { class: 'grant' }, grantOn, h('label', { for: 'grant-' + a.id }, ' Also allow the same action for '),
            grantScope, ' for ', grantHours, ` hours (at most ${g.maxHours}), up to `, grantUses, ` times (at most ${g.maxUses})`) : null,
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
