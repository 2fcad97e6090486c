import { BarChart, CandlestickChart } from 'echarts/charts';
import { use } from 'echarts/core';

// chartOption draws the volume under the candles as a bar series.
use([CandlestickChart, BarChart]);
