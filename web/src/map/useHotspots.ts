// The analytics on the map: hotspot columns (height: recent cases, or the coming week's expected cases) and the
// warnings, listed beside the map and outlined on it; a warning's cell can be flown to.
import { cellToLatLng } from 'h3-js'
import { ref } from 'vue'
import type { WarningRow } from '../api/analytics'
import type { MapContext } from './context'
import { pointForBasemap } from './crs'
import { hotspotCells, warningCells, type ColumnHeight } from './data'

export function useHotspots({ map, crs, setData }: MapContext) {
  const columnHeight = ref<ColumnHeight>('count')
  const warnings = ref<WarningRow[]>([])

  async function loadHotspots(topic: string | null) {
    const cells = await hotspotCells(topic, columnHeight.value)
    const highest = Math.max(1e-9, ...cells.features.map((f) => Number(f.properties?.value ?? 0)))
    for (const f of cells.features) f.properties = { ...f.properties, height_per_unit: 250 / highest }
    setData('hotspots', cells)
  }

  async function loadWarnings() {
    const found = await warningCells()
    warnings.value = found.rows
    setData('warnings', found.cells)
  }

  /** Fly to a warning's cell (its outline is already drawn in red). */
  function showCell(cell: string | null | undefined) {
    if (!cell || !map.value) return
    const [lat, lon] = cellToLatLng(cell)
    map.value.flyTo({ center: pointForBasemap(lon, lat, crs.value), zoom: 16.5, duration: 800 })
  }

  return { columnHeight, warnings, loadHotspots, loadWarnings, showCell }
}
