// Chinese basemaps such as AutoNavi's draw in GCJ-02, the obfuscated datum required for maps published in
// China; our data are WGS-84. Over such a basemap every coordinate we draw is shifted to GCJ-02 (the same
// formula as jiexiang.core.geo on the server), and points picked on the map are sent back with crs=gcj02.
const A = 6378245.0 // Krasovsky 1940 semi-major axis, as the GCJ-02 formula uses
const EE = 0.00669342162296594323

export type Crs = 'wgs84' | 'gcj02'

function inChina(lon: number, lat: number): boolean {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271
}

export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (!inChina(lon, lat)) return [lon, lat]
  const x = lon - 105.0
  const y = lat - 35.0
  const PI = Math.PI
  let dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  dlat += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0
  dlat += ((20.0 * Math.sin(y * PI) + 40.0 * Math.sin((y / 3.0) * PI)) * 2.0) / 3.0
  dlat += ((160.0 * Math.sin((y / 12.0) * PI) + 320.0 * Math.sin((y * PI) / 30.0)) * 2.0) / 3.0
  let dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  dlon += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0
  dlon += ((20.0 * Math.sin(x * PI) + 40.0 * Math.sin((x / 3.0) * PI)) * 2.0) / 3.0
  dlon += ((150.0 * Math.sin((x / 12.0) * PI) + 300.0 * Math.sin((x / 30.0) * PI)) * 2.0) / 3.0
  const radlat = (lat / 180.0) * PI
  const magic = 1 - EE * Math.sin(radlat) ** 2
  const sqrtMagic = Math.sqrt(magic)
  dlat = (dlat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * PI)
  dlon = (dlon * 180.0) / ((A / sqrtMagic) * Math.cos(radlat) * PI)
  return [lon + dlon, lat + dlat]
}

function shift(coordinates: unknown): unknown {
  if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') {
    const [lon, lat, ...rest] = coordinates as number[]
    return [...wgs84ToGcj02(lon, lat), ...rest]
  }
  return Array.isArray(coordinates) ? coordinates.map(shift) : coordinates
}

/** `fc` as the basemap's datum wants it (a copy; unchanged when the basemap is WGS-84). */
export function forBasemap<T extends GeoJSON.FeatureCollection>(fc: T, crs: Crs): T {
  if (crs === 'wgs84') return fc
  return {
    ...fc,
    features: fc.features.map((f) =>
      f.geometry && 'coordinates' in f.geometry ? { ...f, geometry: { ...f.geometry, coordinates: shift(f.geometry.coordinates) } } : f,
    ),
  } as T
}

export function pointForBasemap(lon: number, lat: number, crs: Crs): [number, number] {
  return crs === 'gcj02' ? wgs84ToGcj02(lon, lat) : [lon, lat]
}

/** A point picked on the basemap, back in WGS-84 (GCJ-02 has no closed inverse: a few fixed-point steps bring the
 * error under a millimetre). */
export function pointFromBasemap(lon: number, lat: number, crs: Crs): [number, number] {
  if (crs === 'wgs84') return [lon, lat]
  let [x, y] = [lon, lat]
  for (let step = 0; step < 6; step++) {
    const [sx, sy] = wgs84ToGcj02(x, y)
    x -= sx - lon
    y -= sy - lat
  }
  return [x, y]
}
