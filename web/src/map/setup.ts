// MapLibre set-up shared by every map in the app.
import * as maplibregl from 'maplibre-gl'
// MapLibre 6 finds its worker beside its own module, which bundling moves: tell it where Vite put it.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'

maplibregl.setWorkerUrl(workerUrl)

export { maplibregl }

/** Let the end-to-end tests reach the map, to check what it has drawn rather than only the page around it. */
export function expose(map: maplibregl.Map, name = 'map'): void {
  const holder = window as unknown as { __jiexiang?: Record<string, unknown> }
  holder.__jiexiang = { ...(holder.__jiexiang ?? {}), [name]: map }
}
