// Patrol plans: all back alleys, or the alleys around a warning's cell, split among the workers on shift, each
// route drawn in its own colour.
import { ref } from 'vue'
import { ApiError } from '../api/client'
import { patrolPlan } from '../api/dispatch'
import type { PatrolRouteRead } from '../api/types'
import type { MapContext } from './context'

export const ROUTE_COLOURS = ['#ffd600', '#ff6d00', '#76ff03', '#d500f9', '#00b0ff', '#ff1744']

export function usePatrolPlan({ setData }: MapContext, report: (error: string) => void) {
  const routes = ref<PatrolRouteRead[]>([])

  async function plan(h3Cell: string | null) {
    try {
      const made = await patrolPlan(h3Cell ?? undefined)
      routes.value = made.routes
      setData('patrol', {
        type: 'FeatureCollection',
        features: made.routes.map((r, i) => ({
          type: 'Feature',
          geometry: r.path as unknown as GeoJSON.LineString,  // the schema says "object": a GeoJSON line
          properties: { user_id: r.user_id, colour: ROUTE_COLOURS[i % ROUTE_COLOURS.length] },
        })),
      })
      report(made.routes.length ? '' : '没有在班的外勤人员可安排巡查')
    } catch (e) {
      report(e instanceof ApiError ? e.message : '巡查计划生成失败')
    }
  }

  return { routes, plan }
}
