// The page's entry point: each panel works on its own, so one failing does not stop the others.
import { initClassifier } from './classify.js';
import { initModelCard } from './model-card.js';
import { initModelPicker } from './model-picker.js';
import { initWeather } from './weather.js';

initClassifier();
initWeather();
initModelCard();
initModelPicker();
