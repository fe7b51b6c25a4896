// The cases on the map: the points matching the filters (clustered by MapLibre) and the counts on the clusters,
// drawn as a few HTML labels because the map has no glyph server to draw text with.
import type { Map as MapLibreMap } from 'maplibre-gl'
import { onBeforeUnmount, ref } from 'vue'
import type { MapContext } from './context'
import { casePoints, type CaseFilters } from './data'
import { maplibregl } from './setup'

export function useCaseLayer({ setData }: MapContext, filters: () => CaseFilters) {
  const count = ref(0)
  const markers = new Map<number, maplibregl.Marker>()
  let pending: number | undefined

  async function load() {
    const points = await casePoints(filters())
    count.value = points.features.length
    setData('cases', points)
  }

  /** A report came in or a case moved: reload, at most every 2 s. */
  function changed(reload: () => void) {
    window.clearTimeout(pending)
    pending = window.setTimeout(reload, 2000)
  }

  function label(m: MapLibreMap, shown: boolean) {
    const seen = new Set<number>()
    if (shown) {
      for (const f of m.querySourceFeatures('cases', { filter: ['has', 'point_count'] }).slice(0, 300)) {
        const id = Number(f.properties.cluster_id)
        if (seen.has(id)) continue
        seen.add(id)
        const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates
        let marker = markers.get(id)
        if (!marker) {
          const element = document.createElement('span')
          element.className = 'cluster-label'
          marker = new maplibregl.Marker({ element }).setLngLat([lon, lat]).addTo(m)
          markers.set(id, marker)
        }
        // New data reuse cluster ids for other clusters: always set where and how many.
        marker.setLngLat([lon, lat]).getElement().textContent = String(f.properties.point_count)
      }
    }
    for (const [id, marker] of markers) {
      if (!seen.has(id)) {
        marker.remove()
        markers.delete(id)
      }
    }
  }

  onBeforeUnmount(() => window.clearTimeout(pending))
  return { count, load, changed, label }
}
