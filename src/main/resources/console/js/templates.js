// The template library: start an agent from a pattern, or from nothing.
import { get } from './api.js';
import { h, empty } from './dom.js';

export async function templates() {
  const listing = await get('/api/templates');
  const cards = listing.items.map(t => h('li', { class: 'card template' },
    h('h2', {}, t.title),
    h('p', { class: 'meta' }, `${t.industry} · template version ${t.version}`),
    h('p', {}, t.whenToUse),
    h('a', { class: 'button primary', href: `#/design?template=${encodeURIComponent(t.id)}`,
      'aria-label': `Start from ${t.title}` }, 'Start from this template')));
  const problems = listing.problems.length === 0 ? null : h('div', { class: 'notice warning', role: 'note' },
    h('p', {}, 'Some template files could not be read and are not shown; an administrator fixes them in the templates folder:'),
    h('ul', {}, listing.problems.map(p => h('li', {}, h('code', {}, p.file), ': ', p.message))));
  return {
    node: h('section', {},
      h('h1', {}, 'Start a new agent'),
      h('p', {}, 'Pick the pattern closest to what you need; the designer then walks you through every setting. ',
        h('a', { href: '#/design' }, 'Or start from an empty blueprint.')),
      problems,
      cards.length ? h('ul', { class: 'grid' }, cards)
        : empty('No templates are installed. Start from an empty blueprint, or ask an administrator to add templates.')),
  };
}
