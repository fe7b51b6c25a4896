// MapLibre set-up shared by every map in the app.
import * as maplibregl from 'maplibre-gl'
// MapLibre 6 finds its worker beside its own module, which bundling moves: tell it where Vite put it.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'

maplibregl.setWorkerUrl(workerUrl)

export { maplibregl }
