import { expect, test } from 'vitest'
import { forBasemap, pointFromBasemap, wgs84ToGcj02 } from '../../src/map/crs'

test('GCJ-02 shift agrees with the server’s (jiexiang.core.geo.wgs84_to_gcj02)', () => {
  // Reference values printed by the Python implementation.
  const [lon, lat] = wgs84ToGcj02(116.3738, 39.9028)
  expect(lon).toBeCloseTo(116.38002401674972, 10)
  expect(lat).toBeCloseTo(39.90418679018406, 10)
  const [shanghaiLon, shanghaiLat] = wgs84ToGcj02(121.4737, 31.2304)
  expect(shanghaiLon).toBeCloseTo(121.47822305927693, 10)
  expect(shanghaiLat).toBeCloseTo(31.22845773757727, 10)
  expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]) // outside China nothing moves
})

test('whole layers shift for a GCJ-02 basemap and stay as they are for a WGS-84 one', () => {
  const fc: GeoJSON.FeatureCollection = {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: { name: '光明胡同' }, geometry: { type: 'LineString', coordinates: [[116.3738, 39.9028], [116.375, 39.903]] } }],
  }
  expect(forBasemap(fc, 'wgs84')).toBe(fc)
  const shifted = forBasemap(fc, 'gcj02')
  const line = shifted.features[0].geometry as GeoJSON.LineString
  expect(line.coordinates[0][0]).toBeCloseTo(116.38002401674972, 10)
  expect(shifted.features[0].properties).toEqual({ name: '光明胡同' })
  expect((fc.features[0].geometry as GeoJSON.LineString).coordinates[0]).toEqual([116.3738, 39.9028]) // a copy
})

test('a point picked on a GCJ-02 basemap goes back to WGS-84 within a millimetre', () => {
  const [lon, lat] = pointFromBasemap(116.38002401674972, 39.90418679018406, 'gcj02')
  expect(lon).toBeCloseTo(116.3738, 8)
  expect(lat).toBeCloseTo(39.9028, 8)
  expect(pointFromBasemap(116.3738, 39.9028, 'wgs84')).toEqual([116.3738, 39.9028])
})
