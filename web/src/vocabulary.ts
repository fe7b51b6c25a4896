// The server's names for categories, topics, statuses, sources and actions (GET /api/vocabulary), loaded
// once, and the colour each topic has on the map and in the charts.
import { reactive } from 'vue'
import { getVocabulary } from './api/cases'
import type { CategoryRead, VocabularyRead } from './api/types'

export type Category = CategoryRead

// `unclassified` is the category of reports nothing could classify: not one to choose.
export const vocabulary = reactive<VocabularyRead & { loaded: boolean }>({
  loaded: false,
  categories: [],
  topics: {},
  statuses: {},
  sources: {},
  actions: {},
  unclassified: '',
})

let loading: Promise<void> | null = null

export function loadVocabulary(): Promise<void> {
  loading ??= getVocabulary().then((v) => {
    Object.assign(vocabulary, v, { loaded: true })
  })
  return loading
}

// Colour-blind-safe enough to tell apart on a dark map; anything without a topic is grey.
const PALETTE = [
  '#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#42d4f4',
  '#f032e6', '#bfef45', '#fabed4', '#469990', '#dcbeff', '#9a6324', '#fffac8',
]

export function topicColours(topics: string[]): Record<string, string> {
  const colours: Record<string, string> = { other: '#9aa5b1' }
  ;[...topics].sort().forEach((topic, i) => {
    colours[topic] = PALETTE[i % PALETTE.length]
  })
  return colours
}

export function topicName(topic: string): string {
  return vocabulary.topics[topic] ?? (topic === 'other' ? '其他' : topic)
}
