import { describe, expect, test } from 'vitest'
import { beijingDay, beijingMidnight, formatDateTime, percent } from '../../src/format'

describe('Beijing time whatever the browser zone', () => {
  test('a UTC evening is the next morning in Beijing', () => {
    expect(formatDateTime('2026-11-26T17:30:00Z')).toBe('2026/11/27 01:30')
    expect(beijingDay('2026-11-26T17:30:00Z')).toBe('2026-11-27')
  })
  test('a day starts at Beijing midnight', () => {
    expect(new Date(beijingMidnight('2026-11-27')).toISOString()).toBe('2026-11-26T16:00:00.000Z')
  })
  test('missing values show a dash', () => {
    expect(formatDateTime(null)).toBe('—')
    expect(percent(Number.NaN)).toBe('—')
    expect(percent(0.8567)).toBe('85.7%')
  })
})
