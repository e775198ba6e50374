"""Markdown to safe HTML: conversion and sanitizing."""
