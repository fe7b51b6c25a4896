import { expect, test } from 'vitest'
import { homeFor, type Me } from '../../src/session'

function account(permissions: string[]): Me {
  return {
    id: 1, username: 'u', full_name: '某人', role: 'resident', role_label: '居民', phone: null, unit_id: null,
    unit_name: null, limited_to_unit: false, is_active: true, community_ids: [], alley_ids: [],
    created_at: '2026-11-26T10:00:00+08:00', permissions,
  }
}

test('the first page follows what the account may do, whatever its role is called', () => {
  expect(homeFor(account([]))).toBe('/report')
  expect(homeFor(account(['cases.read', 'places.read']))).toBe('/map')
  expect(homeFor(account(['cases.read', 'positions.report']))).toBe('/tasks')
})
