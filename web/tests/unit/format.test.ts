import { describe, expect, test } from 'vitest'
import { beijingDay, beijingDayRange, beijingDaysBetween, beijingMidnight, formatDateTime, percent } from '../../src/format'

describe('Beijing time whatever the browser zone', () => {
  test('a UTC evening is the next morning in Beijing', () => {
    expect(formatDateTime('2026-11-26T17:30:00Z')).toBe('2026/11/27 01:30')
    expect(beijingDay('2026-11-26T17:30:00Z')).toBe('2026-11-27')
  })
  test('a day starts at Beijing midnight', () => {
    expect(new Date(beijingMidnight('2026-11-27')).toISOString()).toBe('2026-11-26T16:00:00.000Z')
  })
  test('a range of Beijing days includes its last day, across a month end', () => {
    expect(beijingDayRange('2026-11-29', '2026-11-30')).toEqual({ start: '2026-11-29T00:00:00+08:00', end: '2026-11-30T16:00:00.000Z' })
    expect(beijingDaysBetween('2026-11-29', '2026-12-01')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01'])
  })
  test('missing values show a dash', () => {
    expect(formatDateTime(null)).toBe('—')
    expect(percent(Number.NaN)).toBe('—')
    expect(percent(0.8567)).toBe('85.7%')
  })
})
