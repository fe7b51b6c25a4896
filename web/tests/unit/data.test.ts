import { afterEach, describe, expect, test, vi } from 'vitest'
import { withQuery } from '../../src/api/client'
import { bounds, casePoints, hotspotCells } from '../../src/map/data'

function serve(body: unknown, status = 200) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status })))
}

afterEach(() => vi.unstubAllGlobals())

describe('map data', () => {
  test('query strings leave out empty filters', () => {
    expect(withQuery('/api/cases/points', { status: 'closed', category: '', community: undefined, page: 2 })).toBe(
      '/api/cases/points?status=closed&page=2',
    )
  })

  test('case columns become point features', async () => {
    serve({ id: [7, 9], lon: [116.37, 116.38], lat: [39.9, 39.91], category: ['0117', '1101'], topic: ['manhole_cover', 'debris'], status: ['closed', 'handling'], overdue: [false, true] })
    const points = await casePoints({ status: 'closed' })
    expect(points.features).toHaveLength(2)
    expect(points.features[1]).toMatchObject({ id: 9, geometry: { coordinates: [116.38, 39.91] }, properties: { topic: 'debris', overdue: true } })
  })

  test('hotspot rows of all topics add up per cell, significant where any topic is', async () => {
    const cell = '8931aa42863ffff'
    serve({
      as_of: '2026-11-27T00:00:00+08:00', computed_at: '2026-11-27T00:00:00+08:00', h3_resolution: 9,
      rows: [
        { category: 'debris', level: 'cell', h3_cell: cell, count: 3, z: 1.2, significant: false },
        { category: 'garbage', level: 'cell', h3_cell: cell, count: 5, z: 3.1, significant: true },
        { category: 'garbage', level: 'alley', count: 9 },
      ],
    })
    const all = await hotspotCells(null)
    expect(all.features).toHaveLength(1)
    expect(all.features[0].properties).toMatchObject({ count: 8, z: 3.1, significant: true })
    expect(all.features[0].geometry.type).toBe('Polygon')
    const debris = await hotspotCells('debris')
    expect(debris.features[0].properties).toMatchObject({ count: 3, significant: false })
  })

  test('columns can stand as tall as the expected cases of the coming week', async () => {
    const cell = '8931aa42863ffff'
    const other = '8931aa42867ffff'
    vi.stubGlobal('fetch', vi.fn(async (url: string) => new Response(JSON.stringify(url.includes('risk')
      ? { rows: [{ category: 'debris', h3_cell: cell, score: 1.5 }, { category: 'garbage', h3_cell: other, score: 0.5 }] }
      : { rows: [{ category: 'debris', level: 'cell', h3_cell: cell, count: 3, z: 2.5, significant: true }] }))))
    const columns = await hotspotCells(null, 'risk')
    const byCell = Object.fromEntries(columns.features.map((f) => [f.properties?.h3_cell, f.properties]))
    expect(byCell[cell]).toMatchObject({ value: 1.5, count: 3, significant: true })
    expect(byCell[other]).toMatchObject({ value: 0.5, count: 0, significant: false })  // at risk, not yet hot
  })

  test('no analytics yet means no hotspot cells, not an error', async () => {
    serve({ code: 'no_analytics', message: '还没有热点结果' }, 404)
    expect((await hotspotCells(null)).features).toHaveLength(0)
  })

  test('bounds of nested coordinates', () => {
    const box = bounds({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[1, 2], [3, -1]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[0, 0], [5, 5], [0, 5], [0, 0]]] } },
      ],
    })
    expect(box).toEqual([0, -1, 5, 5])
  })
})
