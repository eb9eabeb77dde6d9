/** A small element builder: text is always set as text (never parsed as HTML). */

let counter = 0;

/** A document-unique id with `prefix`, for label/aria wiring. */
export const uid = (prefix) => `${prefix}-${++counter}`;

/**
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs] `class`, `text`, `on<event>` handlers, booleans, strings
 * @param {...(Node | string | false | null | undefined)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') element.textContent = String(value);
    else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Pretty JSON for people (two-space indent). */
export const pretty = (value) => JSON.stringify(value, null, 2) ?? String(value);
