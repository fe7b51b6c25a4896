// The sorting layer of the command-centre map: each truck stop (垃圾不落地) coloured by how many of its alley's
// carded households handed over a bag in the last 30 days, with the share sorted right.
import type { SortingRate } from '../api/types'
import { listStops, sortingRates } from '../api/waste'

export async function loadSorting(): Promise<GeoJSON.FeatureCollection> {
  const [stops, rates] = await Promise.all([listStops(), sortingRates({ by: 'alley' })])
  const byAlley = new Map<number | null, SortingRate>(rates.map((r) => [r.id, r]))
  return {
    type: 'FeatureCollection',
    features: stops.map((stop) => {
      const rate = byAlley.get(stop.alley_id)
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [stop.lon, stop.lat] },
        properties: {
          name: stop.name,
          participation: rate?.participation_rate ?? -1,
          correct: rate?.correct_rate ?? -1,
          label: rate?.participation_rate == null ? stop.name : `${stop.name} 参与 ${Math.round(rate.participation_rate * 100)}%`,
        },
      }
    }),
  }
}
