// placeholder so the library has a source; removed when the stage lands
