/** Let the end-to-end tests reach what draws on canvas (maps, charts), to check what it has drawn rather
 * than only the page around it: `window.__jiexiang[name]`. */
export function expose(name: string, drawn: unknown): void {
  const holder = window as unknown as { __jiexiang?: Record<string, unknown> }
  holder.__jiexiang = { ...(holder.__jiexiang ?? {}), [name]: drawn }
}
