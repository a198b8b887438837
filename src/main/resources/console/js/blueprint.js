// Reading and writing a blueprint body by field path ("actionConfig.overrideMode"), and what the server owns.
const SERVER_OWNED = ['id', 'organizationId', 'status', 'version', 'createdBy', 'createdAt', 'lastModified',
  'modifiedBy', 'deploymentId'];

export function read(bp, path) {
  return path.split('.').reduce((node, key) => (node == null ? undefined : node[key]), bp);
}

export function write(bp, path, value) {
  const keys = path.split('.');
  let node = bp;
  for (const key of keys.slice(0, -1)) {
    if (node[key] == null || typeof node[key] !== 'object') node[key] = {};
    node = node[key];
  }
  if (value === undefined || value === '') {
    delete node[keys[keys.length - 1]];
  } else {
    node[keys[keys.length - 1]] = value;
  }
}

/** The body the API takes: the blueprint without the fields the server fills in. */
export function body(bp) {
  const copy = structuredClone(bp);
  for (const key of SERVER_OWNED) delete copy[key];
  return copy;
}

/** Every leaf as "path = value", for showing two versions side by side. */
export function flatten(value, prefix = '', out = new Map()) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0 && prefix) out.set(prefix, '{}');
    for (const key of keys) flatten(value[key], prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) {
    out.set(prefix, Array.isArray(value) ? value.join(', ') : JSON.stringify(value));
  }
  return out;
}
