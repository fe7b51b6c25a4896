// Pages and who may open them; a page needing a permission the account lacks sends it to its own home page.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { getMe } from './api/accounts'
import { homeFor, session } from './session'

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => (session.me ? homeFor(session.me) : '/login') },
  { path: '/login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  { path: '/map', component: () => import('./views/MapView.vue'), meta: { permission: 'cases.read' } },
  { path: '/cases', component: () => import('./views/CasesView.vue'), meta: { permission: 'cases.read' } },
  { path: '/cases/:id(\\d+)', component: () => import('./views/CaseView.vue'), meta: { permission: 'cases.read' } },
  { path: '/dashboard', component: () => import('./views/DashboardView.vue'), meta: { permission: 'cases.read' } },
  { path: '/tasks', component: () => import('./views/TasksView.vue'), meta: { permission: 'cases.read' } },
  { path: '/hotline', component: () => import('./views/HotlineView.vue'), meta: { permission: 'cases.read' } },
  { path: '/hotline/rates', component: () => import('./views/HotlineRatesView.vue'), meta: { permission: 'cases.read' } },
  { path: '/hotline/tasks/new', component: () => import('./views/TaskNewView.vue'), meta: { permission: 'hotline.manage' } },
  { path: '/hotline/tasks/:id(\\d+)', component: () => import('./views/TaskView.vue'), meta: { permission: 'cases.read' } },
  { path: '/hotline/:id(\\d+)', component: () => import('./views/TicketView.vue'), meta: { permission: 'cases.read' } },
  { path: '/parking', component: () => import('./views/ParkingView.vue'), meta: { permission: 'parking.read' } },
  { path: '/neighbour', component: () => import('./views/NeighbourView.vue'), meta: { permission: 'parking.apply' } },
  { path: '/proposals/new', component: () => import('./views/ProposalNewView.vue'), meta: { permission: 'engagement.propose' } },
  { path: '/inspections', component: () => import('./views/InspectionView.vue'), meta: { permission: 'stewardship.read' } },
  { path: '/duty', component: () => import('./views/DutyView.vue'), meta: { permission: 'stewardship.duty' } },
  { path: '/stewardship', component: () => import('./views/StewardshipView.vue'), meta: { permission: 'stewardship.read' } },
  { path: '/waste', component: () => import('./views/WasteView.vue'), meta: { permission: 'waste.read' } },
  { path: '/collect', component: () => import('./views/CollectView.vue'), meta: { permission: 'waste.collect' } },
  { path: '/points', component: () => import('./views/PointsView.vue'), meta: { permission: 'waste.redeem' } },
  { path: '/inspect', component: () => import('./views/InspectView.vue'), meta: { permission: 'parking.inspect' } },
  { path: '/report', component: () => import('./views/ReportView.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (session.token && !session.me) {
    try {
      session.me = await getMe()
    } catch {
      session.end()
    }
  }
  if (to.meta.public) return true
  if (!session.me) return { path: '/login', query: { next: to.fullPath } }
  const permission = to.meta.permission as string | undefined
  if (permission && !session.can(permission)) return homeFor(session.me)
  return true
})
