// What the map's composables share: the map once it exists, the basemap's datum, and one way to put a
// FeatureCollection (in WGS-84) into a source (in the basemap's datum).
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl'
import { shallowRef, type ShallowRef } from 'vue'
import { forBasemap, type Crs } from './crs'
import type { FC } from './data'

export interface MapContext {
  map: ShallowRef<MapLibreMap | undefined>
  crs: { value: Crs }
  setData(source: string, data: FC): void
}

export function mapContext(): MapContext {
  const map = shallowRef<MapLibreMap>()
  const crs = { value: 'wgs84' as Crs }
  return {
    map,
    crs,
    setData(source, data) {
      ;(map.value?.getSource(source) as GeoJSONSource | undefined)?.setData(forBasemap(data, crs.value))
    },
  }
}
