/**
 * Editor side of the WorkOS sign-in button. The front end is rendered by PHP
 * (WorkOS_WP\Button\LoginButton::render_block); the preview here is drawn in
 * the editor, with the same markup, because:
 *  - the person editing is signed in, and a signed-in visitor sees no button
 *    (a server preview had to pretend otherwise, and printed "Block rendered
 *    as empty." when it did not);
 *  - the label is typed on the button itself, with no round trip per keystroke;
 *  - a server preview's own block wrapper would nest inside the editor's one,
 *    doubling alignment and margins.
 * Alignment (left / center / right in the content column, core's
 * has-text-align-* classes as the Paragraph block has), the custom class and
 * margins go on the wrapper (useBlockProps, as get_block_wrapper_attributes()
 * does in PHP); colours, font size and padding on the button (block.json skips
 * their serialization on the wrapper), as LoginButton::button_styles() does.
 */
( function ( wp ) {
	const { registerBlockType } = wp.blocks;
	const { createElement: el, Fragment } = wp.element;
	const { __ } = wp.i18n;
	const { AlignmentControl, BlockControls, InspectorControls, RichText, useBlockProps, getColorClassName, getFontSizeClass } =
		wp.blockEditor;
	const { PanelBody, TextControl, ToggleControl } = wp.components;

	// The label is plain text (PHP escapes it); RichText edits HTML. Escaped the way RichText
	// writes its value (& and <), so that what it gets back equals what it gave and the caret stays.
	const toText = ( html ) => new window.DOMParser().parseFromString( html, 'text/html' ).body.textContent || '';
	const toHTML = ( text ) => text.replace( /&/g, '&amp;' ).replace( /</g, '&lt;' );

	// "var:preset|spacing|40" -> "var(--wp--preset--spacing--40)", as WordPress's style engine writes it.
	const cssValue = ( value ) => {
		const preset = typeof value === 'string' && value.match( /^var:preset\|([^|]+)\|(.+)$/ );
		return preset ? `var(--wp--preset--${ preset[ 1 ] }--${ preset[ 2 ] })` : value;
	};

	// The button's classes and inline style: what the PHP renders for the same attributes.
	const buttonLook = ( attributes ) => {
		const style = attributes.style || {};
		const color = style.color || {};
		const classes = [];
		const css = { display: 'inline-block' }; // As the PHP: padding that does not overlap other lines.
		if ( attributes.textColor || color.text ) {
			classes.push( 'has-text-color' );
			if ( attributes.textColor ) {
				classes.push( getColorClassName( 'color', attributes.textColor ) );
			} else {
				css.color = color.text;
			}
		}
		if ( attributes.backgroundColor || color.background ) {
			classes.push( 'has-background' );
			if ( attributes.backgroundColor ) {
				classes.push( getColorClassName( 'background-color', attributes.backgroundColor ) );
			} else {
				css.backgroundColor = color.background;
			}
		}
		if ( attributes.fontSize ) {
			classes.push( getFontSizeClass( attributes.fontSize ) );
		} else if ( style.typography && style.typography.fontSize ) {
			css.fontSize = style.typography.fontSize;
		}
		const padding = style.spacing && style.spacing.padding;
		if ( typeof padding === 'string' ) {
			css.padding = cssValue( padding );
		} else if ( padding ) {
			[ 'top', 'right', 'bottom', 'left' ].forEach( ( side ) => {
				if ( padding[ side ] ) {
					css[ 'padding' + side[ 0 ].toUpperCase() + side.slice( 1 ) ] = cssValue( padding[ side ] );
				}
			} );
		}
		return { className: classes.filter( Boolean ).join( ' ' ), style: css };
	};

	registerBlockType( 'workos/login-button', {
		edit( { attributes, setAttributes } ) {
			const look = buttonLook( attributes );
			const align = [ 'left', 'center', 'right' ].includes( attributes.align ) ? attributes.align : undefined;
			const blockProps = useBlockProps( { className: align ? 'has-text-align-' + align : undefined } );
			return el(
				Fragment,
				null,
				el(
					BlockControls,
					{ group: 'block' },
					el( AlignmentControl, {
						value: align,
						onChange: ( value ) => setAttributes( { align: value } ),
					} )
				),
				el(
					InspectorControls,
					null,
					el(
						PanelBody,
						{ title: __( 'Sign-in button', 'workos' ) },
						el( TextControl, {
							label: __( 'Label', 'workos' ),
							help: __( 'Also editable on the button. Empty: "Sign in".', 'workos' ),
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
							help: attributes.showWhenSignedIn
								? __( 'Signed-in visitors see "Sign out" here.', 'workos' )
								: __( 'Signed-in visitors see nothing here.', 'workos' ),
							checked: attributes.showWhenSignedIn,
							onChange: ( showWhenSignedIn ) => setAttributes( { showWhenSignedIn } ),
						} )
					)
				),
				el(
					'div',
					blockProps,
					el( RichText, {
						identifier: 'label',
						tagName: 'span',
						className: ( 'workos-login-button wp-element-button ' + look.className ).trim(),
						style: look.style,
						'aria-label': __( 'Button label', 'workos' ),
						placeholder: __( 'Sign in', 'workos' ),
						value: toHTML( attributes.label || '' ),
						onChange: ( html ) => setAttributes( { label: toText( html ) } ),
						allowedFormats: [],
						withoutInteractiveFormatting: true,
						disableLineBreaks: true,
					} )
				)
			);
		},
		save: () => null,
	} );
} )( window.wp );
