// The parking layer of the command-centre map: every lot at its spaces (a marked alley's spaces one by one), coloured
// by source; a time-shared lot is lit only while its lender's window is open.
import { listLots } from '../api/parking'
import type { LotRead } from '../api/types'

export const PARKING_COLOURS: Record<string, string> = { new_lot: '#29b6f6', time_shared: '#ab47bc', marked: '#66bb6a' }

export function lotFeatures(lots: LotRead[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: lots.map((lot) => {
      const geometry = lot.geometry as unknown as GeoJSON.Geometry
      const drawn = geometry.type === 'Point' || geometry.type === 'MultiPoint' ? geometry : { type: 'Point' as const, coordinates: [lot.lon, lot.lat] }
      return {
        type: 'Feature',
        geometry: drawn,
        properties: { name: lot.name, kind: lot.kind, spaces: lot.spaces, held: lot.held, waiting: lot.waiting, window: lot.window, lit: lot.open_now },
      }
    }),
  }
}

export async function loadParking(): Promise<GeoJSON.FeatureCollection> {
  return lotFeatures((await listLots({ page_size: 1000 })).items)
}
