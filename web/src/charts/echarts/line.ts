import { LineChart } from 'echarts/charts';
import { LegendScrollComponent } from 'echarts/components';
import { use } from 'echarts/core';

// chartOption gives line charts a scrolling legend (one entry per y column or series value).
use([LineChart, LegendScrollComponent]);
