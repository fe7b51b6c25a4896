// Field workers on the map: where each is and today's trail, first from the API, then moved by the live stream.
import { trails as todaysTrails, liveWorkers, workerFeature } from './data'
import type { MapContext } from './context'

type Trail = GeoJSON.Feature<GeoJSON.LineString>

export function useWorkers({ setData }: MapContext) {
  const workers = new Map<number, GeoJSON.Feature>()
  const trails = new Map<number, Trail>()
  let redraw: number | undefined

  function draw() {
    setData('workers', { type: 'FeatureCollection', features: [...workers.values()] })
    setData('trails', { type: 'FeatureCollection', features: [...trails.values()] })
  }

  async function load() {
    const [live, walked] = await Promise.all([liveWorkers(), todaysTrails()])
    for (const w of live) workers.set(w.user_id, workerFeature(w))
    for (const f of walked.features) trails.set(Number(f.id), f as Trail)
    draw()
  }

  function moved(p: { user_id: number; lon: number; lat: number; recorded_at: string }) {
    const known = workers.get(p.user_id)
    workers.set(p.user_id, workerFeature({ ...(known?.properties ?? {}), full_name: known?.properties?.name, ...p }))
    const trail: Trail = trails.get(p.user_id) ?? {
      type: 'Feature', id: p.user_id, properties: { user_id: p.user_id }, geometry: { type: 'LineString', coordinates: [] },
    }
    trail.geometry.coordinates.push([p.lon, p.lat])
    trails.set(p.user_id, trail)
    // Hundreds of fixes a second arrive when many phones report at once: redraw at most twice a second.
    redraw ??= window.setTimeout(() => {
      redraw = undefined
      draw()
    }, 500)
  }

  return { load, moved }
}
