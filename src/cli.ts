#!/usr/bin/env node
console.log('sentiment-batch: skeleton');
