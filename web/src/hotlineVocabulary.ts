// The server's names for the hotline's kinds, states, steps and answers and the rates' definitions
// (GET /api/hotline/vocabulary), loaded once.
import { reactive } from 'vue'
import { getHotlineVocabulary } from './api/hotline'
import type { HotlineVocabularyRead } from './api/types'

export const hotlineVocabulary = reactive<HotlineVocabularyRead & { loaded: boolean }>({
  loaded: false,
  kinds: {},
  statuses: {},
  appeals: {},
  actions: {},
  methods: {},
  satisfaction: {},
  callback_sources: {},
  task_statuses: {},
  task_origins: {},
  results: [],
  definitions: {},
})

let loading: Promise<void> | null = null

export function loadHotlineVocabulary(): Promise<void> {
  loading ??= getHotlineVocabulary().then((v) => {
    Object.assign(hotlineVocabulary, v, { loaded: true })
  })
  return loading
}
