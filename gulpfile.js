// Copies icons next to the compiled nodes and credentials; tsc handles .ts and codex .json.
const { src, dest, parallel } = require('gulp');

function copyIcons(folder) {
	const task = () => src(`${folder}/**/*.{png,svg}`, { encoding: false }).pipe(dest(`dist/${folder}`));
	task.displayName = `copy ${folder} icons`;
	return task;
}

exports['build:icons'] = parallel(copyIcons('nodes'), copyIcons('credentials'));
