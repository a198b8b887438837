// The rules that fired in a decision, grouped by where they come from.
import { h } from './dom.js';

const GROUPS = [
  ['T1-', 'Tier 1 · relevance'], ['T2-', 'Tier 2 · risk and confidence'], ['T3-', 'Tier 3 · override mode'],
  ['AGT-', 'This agent’s own rules'], ['CAT-', 'Catalog'], ['R-', 'Approval routing'], ['CUS-', 'Custom rules'],
];

export function rulesFired(ids) {
  const groups = GROUPS.map(([prefix, label]) => [label, ids.filter(id => id.startsWith(prefix))]);
  const other = ids.filter(id => !GROUPS.some(([prefix]) => id.startsWith(prefix)));
  if (other.length) groups.push(['Other', other]);
  return h('dl', { class: 'fired' }, groups.filter(([, list]) => list.length)
    .map(([label, list]) => [h('dt', {}, label), h('dd', {}, list.map(id => h('code', { class: 'rule' }, id)).flatMap((c, i) => (i ? [' ', c] : [c])))]));
}
