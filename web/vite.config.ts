// Builds the command centre into the Python package, where the API serves it (src/jiexiang/web/dist).
import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: fileURLToPath(new URL('../src/jiexiang/web/dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,  // MapLibre and ECharts are big on their own; each is its own chunk
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/maplibre-gl')) return 'maplibre'
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          return undefined
        },
      },
    },
  },
  server: {
    // `npm run dev` beside `jiexiang demo`: the API stays on 8000
    proxy: { '/api': 'http://127.0.0.1:8000', '/media': 'http://127.0.0.1:8000' },
  },
})
