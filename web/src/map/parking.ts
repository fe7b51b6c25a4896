// The parking layers of the command-centre map: every lot at its spaces (a marked alley's spaces one by one), coloured
// by source, a time-shared lot lit only while its lender's window is open; and each lot's occupancy hour by hour.
import { listLots, parkingOccupancy } from '../api/parking'
import type { LotRead, OccupancyRead } from '../api/types'

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

/** Each lot at its point with its occupancy rate of every hour of the day as `r0` … `r23` (-1: no space open). */
export function occupancyFeatures(occupancy: OccupancyRead): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: occupancy.lots.map((lot) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lot.lon, lot.lat] },
      properties: { name: lot.name, kind: lot.kind, ...Object.fromEntries(lot.rates.map((rate, hour) => [`r${hour}`, rate ?? -1])) },
    })),
  }
}

export async function loadOccupancy(): Promise<GeoJSON.FeatureCollection> {
  return occupancyFeatures(await parkingOccupancy())
}

/** The hour it is now in Beijing, which the occupancy layer shows first. */
export function beijingHour(now: Date = new Date()): number {
  return Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(now))
}
