<?php
/**
 * Dependencies of index.js (written without a build step: it uses WordPress's globals).
 *
 * @package WorkOS_WP
 */

return array(
	'dependencies' => array( 'wp-blocks', 'wp-element', 'wp-i18n', 'wp-block-editor', 'wp-components' ),
	'version'      => '0.2.0',
);
