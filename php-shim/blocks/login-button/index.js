/**
 * Editor side of the WorkOS sign-in button. The front end is rendered by PHP
 * (WorkOS_WP\Button\LoginButton::render_block), and so is the preview here.
 */
( function ( wp ) {
	const { registerBlockType } = wp.blocks;
	const { createElement: el, Fragment } = wp.element;
	const { __ } = wp.i18n;
	const { InspectorControls, useBlockProps } = wp.blockEditor;
	const { PanelBody, TextControl, ToggleControl } = wp.components;
	const ServerSideRender = wp.serverSideRender;

	registerBlockType( 'workos/login-button', {
		edit( { attributes, setAttributes } ) {
			return el(
				Fragment,
				null,
				el(
					InspectorControls,
					null,
					el(
						PanelBody,
						{ title: __( 'Sign-in button', 'workos' ) },
						el( TextControl, {
							label: __( 'Label', 'workos' ),
							help: __( 'Empty: "Sign in".', 'workos' ),
							value: attributes.label,
							onChange: ( label ) => setAttributes( { label } ),
						} ),
						el( TextControl, {
							label: __( 'After sign-in, go to', 'workos' ),
							help: __( 'A page of this site. Empty: back to this page.', 'workos' ),
							value: attributes.redirectTo,
							onChange: ( redirectTo ) => setAttributes( { redirectTo } ),
						} ),
						el( ToggleControl, {
							label: __( 'Show a sign-out link to signed-in visitors', 'workos' ),
							checked: attributes.showWhenSignedIn,
							onChange: ( showWhenSignedIn ) => setAttributes( { showWhenSignedIn } ),
						} )
					)
				),
				el(
					'div',
					useBlockProps(),
					el( ServerSideRender, { block: 'workos/login-button', attributes } )
				)
			);
		},
		save: () => null,
	} );
} )( window.wp );
