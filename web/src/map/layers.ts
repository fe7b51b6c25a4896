// The command-centre map's style: our own vector data over a plain background (or an optional raster
// basemap), buildings and hotspot columns extruded for the 2.5D view.
import type { AddLayerObject, CircleLayerSpecification, ExpressionSpecification, StyleSpecification } from 'maplibre-gl'
import type { Basemap } from '../config'
import { beijingHour } from './parking'

export function baseStyle(basemap: Basemap | null): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#0d1b2a' } }],
  }
  if (basemap) {
    style.sources.basemap = { type: 'raster', tiles: [basemap.url], tileSize: 256, attribution: basemap.attribution ?? undefined }
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-opacity': 0.6 } })
  }
  return style
}

function topicColour(colours: Record<string, string>): ExpressionSpecification {
  const pairs = Object.entries(colours).flat()
  return ['match', ['get', 'topic'], ...pairs, '#9aa5b1'] as unknown as ExpressionSpecification
}

/** Layers in drawing order; ids are what the filters, the legend and the tests refer to. */
export function overlayLayers(colours: Record<string, string>): AddLayerObject[] {
  return [
    { id: 'communities-fill', type: 'fill', source: 'communities', paint: { 'fill-color': '#1b3a5c', 'fill-opacity': 0.35 } },
    { id: 'communities-line', type: 'line', source: 'communities', paint: { 'line-color': '#7fb3e6', 'line-width': 1.5 } },
    {
      id: 'grid-cells', type: 'line', source: 'grid-cells', minzoom: 14,
      paint: { 'line-color': '#5a7ea6', 'line-width': 0.6, 'line-dasharray': [2, 2] },
    },
    {
      id: 'alleys', type: 'line', source: 'alleys',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['case', ['==', ['get', 'walked'], true], '#3ecf8e', ['==', ['get', 'walked'], false], '#f5a623', '#c8d6e5'],
        'line-width': ['interpolate', ['linear'], ['zoom'], 13, 1.2, 17, 5],
      },
    },
    {
      id: 'buildings', type: 'fill-extrusion', source: 'buildings', minzoom: 14,
      paint: {
        'fill-extrusion-color': '#8fa3b8',
        'fill-extrusion-height': ['coalesce', ['get', 'height_m'], 6],
        'fill-extrusion-opacity': 0.75,
      },
    },
    {
      id: 'components', type: 'circle', source: 'components', minzoom: 17,
      paint: { 'circle-radius': 2.5, 'circle-color': '#d9e2ec', 'circle-opacity': 0.8 },
    },
    {
      id: 'hotspots', type: 'fill-extrusion', source: 'hotspots',
      paint: {
        'fill-extrusion-color': [
          'case', ['get', 'significant'], '#e53935',
          ['interpolate', ['linear'], ['get', 'z'], 0, '#4a6fa5', 2, '#f9a825'],
        ],
        'fill-extrusion-height': ['*', ['get', 'height_per_unit'], ['get', 'value']],
        'fill-extrusion-opacity': 0.45,  // the buildings and alleys under them stay readable
      },
    },
    { id: 'warnings', type: 'line', source: 'warnings', paint: { 'line-color': '#ff1744', 'line-width': 3 } },
    {
      id: 'parking', type: 'circle', source: 'parking',
      paint: {
        'circle-radius': ['case', ['==', ['get', 'kind'], 'marked'], 3, 7],
        'circle-color': ['match', ['get', 'kind'], 'new_lot', '#29b6f6', 'time_shared', '#ab47bc', '#66bb6a'],
        'circle-opacity': ['case', ['get', 'lit'], 0.95, 0.25],  // lent spaces are lit only in their window
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    },
    {
      // A lot's occupancy in the chosen hour (`occupancyPaint` sets which): bigger and redder the fuller it is.
      id: 'parking-occupancy', type: 'circle', source: 'parking-occupancy',
      paint: occupancyPaint(beijingHour()),
    },
    {
      // A truck stop by its alley's sorting participation: red (few) to green (most); grey before any data.
      id: 'sorting', type: 'circle', source: 'sorting',
      paint: {
        'circle-radius': 8,
        'circle-color': [
          'case', ['<', ['get', 'participation'], 0], '#9aa5b1',
          ['interpolate', ['linear'], ['get', 'participation'], 0, '#e53935', 0.5, '#fdd835', 0.9, '#43a047'],
        ],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'case-clusters', type: 'circle', source: 'cases', filter: ['has', 'point_count'],
      paint: {
        'circle-color': '#0b6bcb',
        'circle-opacity': 0.85,
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 1,
        'circle-radius': ['step', ['get', 'point_count'], 12, 20, 16, 100, 22, 500, 28],
      },
    },
    {
      id: 'cases', type: 'circle', source: 'cases', filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': topicColour(colours),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 14, 3.5, 18, 7],
        'circle-stroke-color': ['case', ['get', 'overdue'], '#ff1744', '#ffffff'],
        'circle-stroke-width': ['case', ['get', 'overdue'], 2, 0.5],
      },
    },
    {
      id: 'patrol', type: 'line', source: 'patrol',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': ['get', 'colour'], 'line-width': 5, 'line-opacity': 0.9, 'line-dasharray': [1.5, 1] },
    },
    {
      id: 'trails', type: 'line', source: 'trails',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#00e5ff', 'line-width': 2, 'line-opacity': 0.55 },
    },
    {
      id: 'workers', type: 'circle', source: 'workers',
      paint: {
        'circle-radius': 7,
        'circle-color': ['case', ['get', 'stale'], '#829ab1', '#00e5ff'],
        'circle-stroke-color': '#0d1b2a',
        'circle-stroke-width': 2,
      },
    },
  ]
}

/** Toggles in the side panel: each shows or hides these layers. */
export const LAYER_GROUPS: { key: string; label: string; layers: string[] }[] = [
  { key: 'cases', label: '案件', layers: ['case-clusters', 'cases'] },
  { key: 'hotspots', label: '热点柱（红色＝Gi* 显著）', layers: ['hotspots'] },
  { key: 'warnings', label: '预警', layers: ['warnings'] },
  { key: 'workers', label: '外勤人员及今日轨迹', layers: ['workers', 'trails'] },
  { key: 'buildings', label: '建筑（2.5D）', layers: ['buildings'] },
  { key: 'grid', label: '网格', layers: ['grid-cells'] },
  { key: 'components', label: '部件', layers: ['components'] },
  { key: 'parking', label: '停车（新建·错时·施划）', layers: ['parking'] },
  { key: 'occupancy', label: '停车占用（按小时）', layers: ['parking-occupancy'] },
  { key: 'sorting', label: '垃圾分类参与率（收运点）', layers: ['sorting'] },
]

/** The occupancy layer's paint for one hour of the day: no circle where no space is open then. */
export type CirclePaint = NonNullable<CircleLayerSpecification['paint']>

export function occupancyPaint(hour: number): CirclePaint {
  const rate: ExpressionSpecification = ['get', `r${hour}`]
  return {
    'circle-radius': ['case', ['<', rate, 0], 0, ['interpolate', ['linear'], rate, 0, 6, 1, 18]],
    'circle-color': ['interpolate', ['linear'], rate, 0, '#43a047', 0.7, '#fdd835', 1, '#e53935'],
    'circle-opacity': 0.7,
    'circle-stroke-color': '#ffffff',
    'circle-stroke-width': ['case', ['<', rate, 0], 0, 1],
  }
}
